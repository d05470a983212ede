using System.Globalization;
using System.Text.RegularExpressions;
using Switchboard.Configuration;
using Switchboard.Lifecycle;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Tests.Deployment;

/// <summary><c>docs/deployment.md</c>: every setting it names exists.</summary>
internal sealed partial class DeploymentChecks
{

    /// <summary>Every setting the deployment guide names exists.</summary>
    private void CheckDocumentedSettings()
    {
        var path = Path.Combine(_root, "docs", "deployment.md");
        if (!File.Exists(path))
        {
            _problems.Add("docs/deployment.md: missing.");
            return;
        }
        // A section named in prose ends with its colon before an ellipsis: `Switchboard:RateLimits:…`.
        foreach (var name in DocumentedSetting().Matches(File.ReadAllText(path)).Select(m => m.Groups[1].Value.TrimEnd(':')).Distinct())
        {
            CheckSetting("docs/deployment.md", name, null, allowSection: true);
        }
        foreach (var variable in DocumentedVariable().Matches(File.ReadAllText(path)).Select(m => m.Value).Distinct())
        {
            CheckSetting("docs/deployment.md", variable, null);
        }
    }
}
