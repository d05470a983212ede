using System.Net;
using Microsoft.Playwright;
using Switchboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Tests.Web;

/// <summary>The keys screen sets, shows and changes a key's governance rules.</summary>
public sealed partial class WebAppTests
{
    [Fact]
    public async Task A_key_created_with_rules_in_the_app_is_held_to_them_and_an_edit_lifts_them()
    {
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);
        await SignInWithKeyAsync(page, GatewayFactory.ManagementKey);
        await page.GotoAsync("/keys");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("governed in the app");
        await dialog.GetByLabel("Allowed models").FillAsync("test/other, test/m*");
        await dialog.GetByLabel("Allowed providers").FillAsync("beta");
        await dialog.GetByLabel("Requests per minute").FillAsync("30");
        await dialog.GetByLabel("Tokens per minute").FillAsync("20000");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        var secret = await page.Locator("[data-secret]").TextContentAsync();
        var row = page.Locator("tr[data-key='governed in the app']");
        await Expect(row).ToContainTextAsync("test/other, test/m*");
        await Expect(row).ToContainTextAsync("beta");
        await Expect(row).ToContainTextAsync("30 requests/min");
        await Expect(row).ToContainTextAsync("20000 tokens/min");
        await Browser.ScreenshotAsync(page, "keys-rules");
        using var client = _gateway.CreateGatewayClient(secret);
        using (var refused = await client.PostChatAsync(ChatRequests.Body("test/free")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByLabel("Allowed models")).ToHaveValueAsync("test/other, test/m*");
        await dialog.GetByLabel("Allowed models").FillAsync("");
        await dialog.GetByLabel("Allowed providers").FillAsync("");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved");
        await Expect(row).ToContainTextAsync("30 requests/min");
        await Expect(row).Not.ToContainTextAsync("Models:");
        using var served = await client.PostChatAsync(ChatRequests.Body("test/free"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task A_rule_the_gateway_refuses_is_shown_in_the_dialog()
    {
        await using var context = await Browser.NewContextAsync(_address);
        var page = await OpenAsync(context);
        await SignInWithKeyAsync(page, GatewayFactory.ManagementKey);
        await page.GotoAsync("/keys");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("typo");
        await dialog.GetByLabel("Allowed providers").FillAsync("betta");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(dialog).ToContainTextAsync("'betta', which is not a provider of this gateway");
    }
}
