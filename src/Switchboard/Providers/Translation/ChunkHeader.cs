using System.Text.Json;

namespace Switchboard.Providers.Translation;

/// <summary>What every chunk the gateway sends starts with: our id, who served it, the model, OpenRouter's object type.</summary>
internal static class ChunkHeader
{
    public static void Write(Utf8JsonWriter json, ResponseIdentity identity)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, identity.GenerationId);
        json.WriteString("provider"u8, identity.Provider);
        json.WriteString("model"u8, identity.Model);
        json.WriteString("object"u8, "chat.completion.chunk");
        json.WriteNumber("created"u8, identity.Created);
    }
}
