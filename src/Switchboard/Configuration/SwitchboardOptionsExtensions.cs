using Microsoft.Extensions.Options;

namespace Switchboard.Configuration;

internal static class SwitchboardOptionsExtensions
{
    /// <summary>Binds <c>Switchboard</c> settings, validated at start-up.</summary>
    public static WebApplicationBuilder AddSwitchboardOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SwitchboardOptions>().BindConfiguration(SwitchboardOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SwitchboardOptions>, SwitchboardOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var max = context.Configuration.GetValue<long?>($"{SwitchboardOptions.Section}:MaxRequestBodyBytes") ?? new SwitchboardOptions().MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestBodySize = max + 1;
            if (context.Configuration.GetValue<bool>($"{SwitchboardOptions.Section}:Network:RejectionBodies"))
            {
                Api.KestrelRejectionBodies.Add(kestrel);
            }
        });
        return builder;
    }
}
