using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Tests.Embeddings;

/// <summary>The parts of embeddings that need no gateway: the vector encodings, the input bound, and the parser's reading of inputs.</summary>
public sealed class EmbeddingUnitTests
{
    private static string Entry(string vector, EmbeddingEncoding encoding, out bool written)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            written = EmbeddingVectorJson.TryWriteEntry(json, 3, Encoding.UTF8.GetBytes(vector), encoding);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Base64Of(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }
        return Convert.ToBase64String(bytes);
    }

    [Fact]
    public void A_vector_in_the_wanted_encoding_is_copied_as_the_provider_wrote_it()
    {
        Assert.Equal("""{"object":"embedding","index":3,"embedding":[0.10000000149, -2e-3]}""", Entry("[0.10000000149, -2e-3]", EmbeddingEncoding.Float, out var floats));
        Assert.True(floats);
        Assert.Equal("""{"object":"embedding","index":3,"embedding":"AAAAPw=="}""", Entry("\"AAAAPw==\"", EmbeddingEncoding.Base64, out var base64));
        Assert.True(base64);
    }

    [Fact]
    public void Floats_become_little_endian_float32_base64_and_back()
    {
        var values = new[] { 0.5f, -0.25f, 1e-7f, 0.333333343f };
        var json = JsonDocument.Parse(Entry("[0.5,-0.25,1e-7,0.333333343]", EmbeddingEncoding.Base64, out _));
        Assert.Equal(Base64Of(values), json.RootElement.GetProperty("embedding").GetString());

        var back = JsonDocument.Parse(Entry($"\"{Base64Of(values)}\"", EmbeddingEncoding.Float, out _));
        Assert.Equal(values, back.RootElement.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()));
    }

    [Theory]
    [InlineData("[1,\"a\"]", false)]
    [InlineData("[1,null]", true)]
    [InlineData("\"not base64!\"", false)]
    [InlineData("\"AAAA\"", false)] // three bytes: not whole float32 values
    [InlineData("{\"values\":[]}", false)]
    public void Anything_else_is_not_a_vector(string vector, bool base64)
    {
        Entry(vector, base64 ? EmbeddingEncoding.Base64 : EmbeddingEncoding.Float, out var written);
        Assert.False(written);
    }

    [Fact]
    public void Each_input_is_bounded_by_itself_and_by_the_context_never_the_request_by_the_context()
    {
        var endpoint = new CatalogEndpoint
        {
            Index = 0,
            Model = new CatalogModel { Id = "t/e", Name = "e" },
            Provider = new ProviderInfo { Slug = "p", Name = "P", BaseUrl = new Uri("http://p"), Protocol = "openai" },
            UpstreamModel = "e",
            ContextLength = 100,
            Pricing = new Pricing(1m, 0m, 0m, null, null),
        };

        // 10 + 2, then 500 capped at the context of 100, then 98 + 2: each input alone.
        Assert.Equal(12 + 100 + 100, EmbeddingInputBound.Tokens([10, 500, 98], endpoint));
    }

    [Fact]
    public void The_parser_keeps_each_input_as_its_bytes_and_bounds_it()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"m","input":["h\u00e9llo","ab"],"dimensions":4,"encoding_format":"base64","input_type":"query"}""");
        Assert.True(EmbeddingsRequestParser.TryParse(body, RequestDefaults.None, out var request, out var error), error?.Message);

        Assert.Equal(2, request!.Inputs.Count);
        Assert.Equal("\"h\\u00e9llo\"", Encoding.UTF8.GetString(request.InputJson(request.Inputs[0])));
        Assert.Equal(6, request.Inputs[0].Bound); // "héllo" is 6 bytes of UTF-8
        Assert.Equal(2, request.Inputs[1].Bound);
        Assert.Equal(4, request.Dimensions);
        Assert.Equal(EmbeddingEncoding.Base64, request.Encoding);
        Assert.Equal(IngressDialect.Embeddings, request.Routing.Dialect);
        Assert.Equal(8, request.Routing.Prompt.TextBytes);

        var tokens = Encoding.UTF8.GetBytes("""{"model":"m","input":[[1,2,3],[4]]}""");
        Assert.True(EmbeddingsRequestParser.TryParse(tokens, RequestDefaults.None, out var tokenRequest, out _));
        Assert.True(tokenRequest!.HasTokenInputs);
        Assert.Equal([3L, 1L], tokenRequest.Inputs.Select(i => i.Bound));
    }
}
