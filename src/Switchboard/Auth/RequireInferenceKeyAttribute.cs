namespace Switchboard.Auth;

/// <summary>Endpoint metadata: the endpoint calls models and needs an inference key.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
internal sealed class RequireInferenceKeyAttribute : Attribute;
