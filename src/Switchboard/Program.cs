using Switchboard.Api;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Providers;
using Switchboard.Routing;

var builder = WebApplication.CreateBuilder(args);

builder.AddSwitchboardOptions(args);
builder.Services.AddProviders();
builder.Services.AddCatalog();
builder.Services.AddProviderRouting();
builder.Services.AddChatCompletions();

var app = builder.Build();

app.UseApiErrors();
app.MapSwitchboardApi();

app.Run();

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
