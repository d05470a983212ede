using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Billing;

namespace Switchboard.Tests.Billing;

/// <summary>
/// What the hold counts as a prompt: every byte of text (a string that merely looks like a data URL included), and
/// media only where the request's structure makes them media, each counted per part and never by its payload.
/// </summary>
public sealed class PromptShapeTests
{
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    [Fact]
    public void A_string_that_starts_with_data_is_text_whatever_it_looks_like()
    {
        var body = Body(new JsonObject { ["role"] = "user", ["content"] = "data:image/png;base64," + new string('A', 10_000) });

        var shape = PromptShapeReader.Measure(body);

        Assert.Equal(body.Length, shape.TextBytes);
        Assert.Equal(0, shape.Images);
        Assert.Empty(shape.MediaPayloads);
    }

    [Fact]
    public void Image_parts_count_once_each_in_every_spelling_and_their_payload_is_not_text()
    {
        var body = Body(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = $"data:image/png;base64,{Png}", ["detail"] = "high" } },
                new JsonObject { ["type"] = "image_url", ["image_url"] = "https://example.com/a.png" },
                new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["detail"] = "low", ["url"] = "https://example.com/b.png", ["url2"] = "x" } },
                new JsonObject { ["type"] = "text", ["text"] = "What are these?" }),
        });

        var shape = PromptShapeReader.Measure(body);

        Assert.Equal(3, shape.Images);
        Assert.Equal(3, shape.MediaPayloads.Count);
        Assert.Equal(body.Length - shape.MediaPayloads.Sum(r => r.End.Value - r.Start.Value), shape.TextBytes);
    }

    [Fact]
    public void Escaped_property_names_and_escaped_payloads_are_read_as_a_provider_reads_them()
    {
        var pdf = HoldFuzzBodies.Pdf(3).Replace("/", "\\/", StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(
            """{"messages":[{"role":"user","content":[{"type":"file","\u0066ile":{"file_data":"data:application\/pdf;base64,""" + pdf + "\"}}]}]}");

        var shape = PromptShapeReader.Measure(body);

        Assert.Equal(3, shape.PdfPages);
        Assert.Equal(0, shape.UnsizedMedia);
    }

    [Fact]
    public void Files_are_sized_by_kind_and_ones_the_request_does_not_reveal_are_unsized()
    {
        var body = Body(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(
                File(new JsonObject { ["file_data"] = $"data:application/pdf;base64,{HoldFuzzBodies.Pdf(5)}" }),
                File(new JsonObject { ["file_data"] = $"data:text/plain;base64,{Convert.ToBase64String(new byte[300])}" }),
                File(new JsonObject { ["file_data"] = $"data:image/png;base64,{Png}" }),
                File(new JsonObject { ["file_id"] = "file-abc" }),
                File(new JsonObject { ["file_data"] = "data:application/pdf;base64,not-base64!" }),
                File(new JsonObject { ["filename"] = "schema.json" })),
        });

        var shape = PromptShapeReader.Measure(body);

        Assert.Equal(5, shape.PdfPages);
        Assert.Equal(300, shape.FileTextBytes);
        Assert.Equal(1, shape.Images);
        Assert.Equal(2, shape.UnsizedMedia); // the file id, and the PDF whose pages cannot be read
    }

    [Fact]
    public void Audio_counts_its_decoded_bytes_and_tools_are_noticed()
    {
        var audio = Convert.ToBase64String(new byte[3_000]);
        const string Template = """
            {"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"file":{"type":"string"},"image_url":{"type":"string"}}}}}],
             "messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AUDIO","format":"wav"}}]}]}
            """;
        var body = Encoding.UTF8.GetBytes(Template.Replace("AUDIO", audio, StringComparison.Ordinal));

        var shape = PromptShapeReader.Measure(body);

        Assert.Equal(3_000, shape.AudioBytes);
        Assert.True(shape.HasTools);
        Assert.Equal(0, shape.Images); // a tool schema's "image_url" property carries no url
        Assert.Equal(0, shape.UnsizedMedia);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(2_000)] // the decoded PDF spans many windows: markers on a window's edge count once
    public void Pdf_pages_are_counted_from_their_page_objects(int pages) =>
        Assert.Equal(pages, PdfPageCounter.Count(Encoding.ASCII.GetBytes(HoldFuzzBodies.Pdf(pages))));

    private static JsonObject File(JsonObject file) => new() { ["type"] = "file", ["file"] = file };

    private static byte[] Body(JsonObject message) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["model"] = "test/tri", ["messages"] = new JsonArray(message) }.ToJsonString());
}
