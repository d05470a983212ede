using Microsoft.Extensions.Options;

namespace Switchboard.Configuration;

/// <summary>Checks the settings that have no catalog to check them against, naming each bad key.</summary>
internal sealed class SwitchboardOptionsValidator : IValidateOptions<SwitchboardOptions>
{
    public ValidateOptionsResult Validate(string? name, SwitchboardOptions options)
    {
        var errors = new List<string>();
        Positive(errors, options.Timeouts.Connect, "Timeouts:Connect");
        Positive(errors, options.Timeouts.StreamingHeaders, "Timeouts:StreamingHeaders");
        Positive(errors, options.Timeouts.NonStreamingResponse, "Timeouts:NonStreamingResponse");
        Positive(errors, options.Timeouts.StreamIdle, "Timeouts:StreamIdle");
        Positive(errors, options.Health.CoolDown, "Health:CoolDown");
        Positive(errors, options.Health.RecentFailureWindow, "Health:RecentFailureWindow");
        if (options.Health.FailureThreshold < 1)
        {
            errors.Add($"{SwitchboardOptions.Section}:Health:FailureThreshold must be at least 1 (got {options.Health.FailureThreshold}).");
        }
        if (options.Streaming.KeepAliveInterval < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{SwitchboardOptions.Section}:Streaming:KeepAliveInterval must be at least 10 ms (got {options.Streaming.KeepAliveInterval}).");
        }
        if (options.MaxRequestBodyBytes is < 1024 or > int.MaxValue)
        {
            errors.Add($"{SwitchboardOptions.Section}:MaxRequestBodyBytes must be between 1024 and {int.MaxValue} (got {options.MaxRequestBodyBytes}).");
        }
        foreach (var (slug, provider) in options.Providers)
        {
            if (provider.MaxConnections is < 1)
            {
                errors.Add($"{SwitchboardOptions.Section}:Providers:{slug}:MaxConnections must be at least 1.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{SwitchboardOptions.Section}:{key} must be a positive duration such as 00:00:30 (got {value}).");
        }
    }
}
