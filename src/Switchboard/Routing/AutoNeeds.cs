using Switchboard.Catalog;
using Switchboard.Requests;

namespace Switchboard.Routing;

/// <summary>
/// What a model must be able to do for <c>openrouter/auto</c> to choose it for a request: the input kinds of the
/// prompt (catalog <c>input_modalities</c>), and the features it asks for (endpoint <c>supported_parameters</c>).
/// </summary>
internal readonly record struct AutoNeeds(bool Image, bool File, bool Audio, bool Video, bool Tools, bool ToolChoice, JsonOutput Json, bool Reasoning)
{
    public static AutoNeeds Of(ChatRequest request)
    {
        var prompt = request.Prompt;
        var tools = request.Tools > 0;
        return new AutoNeeds(
            prompt.Images > 0,
            prompt.Files > 0,
            prompt.AudioBytes > 0,
            prompt.Videos > 0,
            tools,
            tools && request.Has("tool_choice"),
            request.JsonOutput,
            request.Reasoning.Enabled);
    }

    public bool AcceptsInput(CatalogModel model) =>
        (!Image || Has(model.InputModalities, "image"))
        && (!File || Has(model.InputModalities, "file"))
        && (!Audio || Has(model.InputModalities, "audio"))
        && (!Video || Has(model.InputModalities, "video"));

    public bool SupportedBy(CatalogEndpoint endpoint)
    {
        var supported = endpoint.SupportedParameters;
        return (!Tools || supported.Contains("tools"))
            && (!ToolChoice || supported.Contains("tool_choice"))
            && Json switch
            {
                JsonOutput.Object => supported.Contains("response_format"),
                JsonOutput.Schema => supported.Contains("structured_outputs"),
                _ => true,
            }
            && (!Reasoning || supported.Contains("reasoning"));
    }

    private static bool Has(IReadOnlyList<string> modalities, string modality)
    {
        for (var i = 0; i < modalities.Count; i++)
        {
            if (string.Equals(modalities[i], modality, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
