using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Switchboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Tests.Web;

/// <summary>The Settings screen and the account's own provider keys, in the browser.</summary>
public sealed partial class WebAppTests
{
    [Fact]
    public async Task An_account_sets_its_data_policy_default_model_and_own_provider_key_and_sees_its_stored_text()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("settings team", 10m);
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);
        await SignInWithKeyAsync(page, account.ManagementKey);

        await page.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
        var storePrompts = page.GetByLabel("Store prompts and completions");
        await Expect(storePrompts).Not.ToBeCheckedAsync(); // off by default
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Billing rates (operator)" })).ToHaveCountAsync(0);
        await storePrompts.CheckAsync();
        await page.GetByLabel("Exclude providers that may retain or train on prompts").CheckAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Hoarder"); // the provider it will exclude
        await page.GetByLabel("Default model (used when a request names none)").SelectOptionAsync("test/other");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Account settings saved");
        await Browser.ScreenshotAsync(page, "settings");

        await page.ReloadAsync();
        await Expect(page.GetByLabel("Store prompts and completions")).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Default model (used when a request names none)")).ToHaveValueAsync("test/other");

        await page.GetByRole(AriaRole.Link, new() { Name = "Providers", Exact = true }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("No keys of your own yet");
        await page.Locator("#byok-provider").SelectOptionAsync("beta");
        await page.GetByLabel("API key").FillAsync("sk-own-beta-5e6f7a8b9c0d1e2f");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();
        await Expect(page.Locator("tr[data-own-key=beta]")).ToContainTextAsync("…1e2f");
        Assert.DoesNotContain("sk-own-beta", await page.ContentAsync(), StringComparison.Ordinal);
        await Expect(page.Locator("[data-credential]")).ToHaveCountAsync(0); // the gateway's credentials are the operator's
        await Browser.ScreenshotAsync(page, "providers-own-keys");

        // A request naming no model gets the default (test/other), served by Beta with the account's own key.
        var body = ChatRequests.Body("test/other", content: "What is stored?");
        body.Remove("model");
        using (var manager = _gateway.CreateGatewayClient(account.ManagementKey))
        using (var caller = _gateway.CreateGatewayClient((await manager.CreateKeyAsync(new { name = "calls" })).Key))
        using (var response = await caller.PostChatAsync(body))
        {
            var completion = await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
            Assert.Equal("test/other", completion["model"]!.GetValue<string>());
            Assert.True(completion["usage"]!["is_byok"]!.GetValue<bool>());
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Activity", Exact = true }).ClickAsync();
        await page.Locator("tr[data-generation] button.link").First.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.Locator("[data-stored=request]")).ToContainTextAsync("What is stored?");
        await Expect(dialog.Locator("[data-stored=completion]")).ToContainTextAsync(new Regex("simulat", RegexOptions.IgnoreCase));
        await Browser.ScreenshotAsync(page, "activity-stored-text");
    }

    [Fact]
    public async Task The_operator_sets_the_markup_and_BYOK_fee_and_can_return_to_the_configured_rates()
    {
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);
        await SignInWithKeyAsync(page, GatewayFactory.ManagementKey);
        await page.GotoAsync("/settings");

        await page.GetByLabel("Markup on every charge (%)").FillAsync("7.5");
        await page.GetByLabel(new System.Text.RegularExpressions.Regex("^BYOK fee")).FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save rates" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Rates saved");
        var settings = await _gateway.CreateGatewayClient(GatewayFactory.ManagementKey).GetObjectAsync("/web/settings");
        Assert.Equal(0.075m, settings["rates"]!["markup"]!.GetValue<decimal>());
        Assert.Equal(0.05m, settings["rates"]!["byok_fee"]!.GetValue<decimal>());
        await Browser.ScreenshotAsync(page, "settings-operator");

        await page.GetByRole(AriaRole.Button, new() { Name = "Use configured rates" }).ClickAsync();
        await Expect(page.GetByLabel("Markup on every charge (%)")).ToHaveValueAsync("0");
        settings = await _gateway.CreateGatewayClient(GatewayFactory.ManagementKey).GetObjectAsync("/web/settings");
        Assert.Equal(0m, settings["rates"]!["markup"]!.GetValue<decimal>());
    }
}
