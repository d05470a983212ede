namespace Switchboard.Keys;

/// <summary>Endpoint metadata: which kind of key the endpoint accepts.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
internal sealed class RequireKeyAttribute(KeyRequirement requirement) : Attribute
{
    public KeyRequirement Requirement { get; } = requirement;
}

internal enum KeyRequirement
{
    /// <summary>Calls models: inference keys only.</summary>
    Inference,

    /// <summary>Manages keys and credits: management keys only.</summary>
    Management,

    /// <summary>Reads the caller's own data: either kind.</summary>
    Any,

    /// <summary>Operator actions across accounts: management keys of the admin account.</summary>
    Admin,
}

internal static class RequireKeyExtensions
{
    public static TBuilder RequireKey<TBuilder>(this TBuilder builder, KeyRequirement requirement) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequireKeyAttribute(requirement));

    /// <summary>The key that authenticated this request; only on endpoints that require one.</summary>
    public static CallerKey CallerKey(this HttpContext context) =>
        context.Features.Get<CallerKey>() ?? throw new InvalidOperationException("The endpoint has no RequireKey metadata.");
}
