using System.Text;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Providers.OpenAICompatible;

/// <summary>Reads the error bodies of OpenAI-compatible hosts, which vary: <c>{"error":{…}}</c>, <c>{"error":"…"}</c>, or Mistral's flat <c>{"message":…}</c>.</summary>
internal static class OpenAIErrors
{
    private const int MaxRawChars = 8 * 1024;

    public static UpstreamFailure FromResponse(int status, ReadOnlySpan<byte> body, int? retryAfterSeconds) =>
        new(FailureKind.HttpStatus, Message(body) ?? $"The provider returned HTTP {status}.", status, Text(body), retryAfterSeconds);

    /// <summary>An <c>error</c> object inside a 200 response or stream event.</summary>
    public static UpstreamFailure FromInBandError(ReadOnlySpan<byte> errorJson, ReadOnlySpan<byte> whole)
    {
        int? status = null;
        string? message = null;
        try
        {
            if (JsonText.FindInvalidString(errorJson, default) >= 0)
            {
                return new UpstreamFailure(FailureKind.InvalidResponse, "The provider reported an error.", null, Text(whole));
            }
            var reader = new Utf8JsonReader(errorJson);
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                message = reader.GetString();
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isMessage = reader.ValueTextEquals("message"u8);
                    var isCode = reader.ValueTextEquals("code"u8);
                    reader.Read();
                    if (isMessage && reader.TokenType == JsonTokenType.String)
                    {
                        message = reader.GetString();
                    }
                    else if (isCode && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var code) && code is >= 400 and < 600)
                    {
                        status = code;
                    }
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
        }
        return new UpstreamFailure(FailureKind.InvalidResponse, message ?? "The provider reported an error.", status, Text(whole));
    }

    public static string? Message(ReadOnlySpan<byte> body)
    {
        try
        {
            // Names are compared below, and comparing an escaped name that is not text throws: such a body has no message.
            if (JsonText.FindInvalidString(body, default) >= 0)
            {
                return null;
            }
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            string? message = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                var isMessage = reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("detail"u8);
                reader.Read();
                if (isError && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var inner = reader.ValueTextEquals("message"u8);
                        reader.Read();
                        if (inner && reader.TokenType == JsonTokenType.String)
                        {
                            return reader.GetString();
                        }
                        reader.Skip();
                    }
                    continue;
                }
                if ((isError || isMessage) && reader.TokenType == JsonTokenType.String)
                {
                    message ??= reader.GetString();
                }
                reader.Skip();
            }
            return message;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The upstream body as text for <c>metadata.raw</c>, capped so a huge HTML error page stays readable.</summary>
    public static string Text(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length <= MaxRawChars ? text : string.Concat(text.AsSpan(0, MaxRawChars), "…");
    }
}
