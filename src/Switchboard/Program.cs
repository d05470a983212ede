using Switchboard.Accounts;
using Switchboard.Alerts;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Catalog.Import;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Data;
using Switchboard.Generations;
using Switchboard.Instances;
using Switchboard.Keys;
using Switchboard.Lifecycle;
using Switchboard.Providers;
using Switchboard.RateLimiting;
using Switchboard.Requests;
using Switchboard.Routing;
using Switchboard.Security;
using Switchboard.Settings;
using Switchboard.Telemetry;
using Switchboard.Web;

if (CatalogImportCommand.TryRun(args, out var exitCode))
{
    return exitCode;
}
if (AdminCommand.TryRun(args, out exitCode))
{
    return exitCode;
}
if (HealthCheckCommand.TryRun(args, out exitCode))
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(SwitchboardCommandLine.ForHost(args));

builder.AddSwitchboardOptions();
builder.AddSwitchboardDatabase();
builder.Services.AddAccounts();
builder.Services.AddApiKeys();
builder.Services.AddSpendAlerts();
builder.Services.AddInstances();
builder.Services.AddBilling();
builder.Services.AddGracefulDrain();
builder.Services.AddRateLimits();
builder.Services.AddProviders();
builder.Services.AddCatalog();
builder.Services.AddProviderRouting();
builder.Services.AddChatCompletions();
builder.Services.AddSettings();
builder.Services.AddWebApp();
builder.Services.AddHttpHygiene();
builder.AddTelemetry();

var app = builder.Build();

app.UseHttpHygiene();
app.UseApiErrors();
app.MapTelemetry();
app.MapSwitchboardApi();
app.MapWebApp();

app.Run();
return 0;

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
