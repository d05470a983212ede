using Switchboard.Api;
using Switchboard.Catalog;
using Switchboard.Catalog.Import;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Providers;
using Switchboard.Routing;

if (CatalogImportCommand.TryRun(args, out var exitCode))
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(SwitchboardCommandLine.ExpandSwitches(args));

builder.AddSwitchboardOptions();
builder.Services.AddProviders();
builder.Services.AddCatalog();
builder.Services.AddProviderRouting();
builder.Services.AddChatCompletions();

var app = builder.Build();

app.UseApiErrors();
app.MapSwitchboardApi();

app.Run();
return 0;

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
