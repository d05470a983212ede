using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Switchboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Tests.Web;

/// <summary>
/// What a newcomer sees after <c>--demo</c>: the shipped catalog (not the test catalog), readable simulated replies,
/// a side-by-side compare and the activity it leaves. Its screenshots (<c>readme-*.png</c>) are the README's.
/// </summary>
public sealed class DemoTourTests
{
    [Fact]
    public async Task A_newcomer_in_demo_mode_browses_the_shipped_catalog_chats_compares_and_sees_the_activity()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Demo"] = "true" }, useTestCatalog: false);
        using var client = gateway.CreateGatewayClient();
        // Some traffic through the API first, by the names users type: catalog ids, a provider's own name, a
        // family alias, and openrouter/auto choosing among the built-in candidates. Responses name the model served.
        foreach (var (name, served) in new[]
        {
            ("anthropic/claude-sonnet-5", "anthropic/claude-sonnet-5"),
            ("claude-haiku-4-5", "anthropic/claude-haiku-4.5"),
            ("~google/gemini-flash-latest", "google/gemini-"),
            ("openai/gpt-5.4-mini", "openai/gpt-5.4-mini"),
            ("deepseek/deepseek-v4-flash", "deepseek/deepseek-v4-flash"),
        })
        {
            using var response = await client.PostChatAsync(ChatRequests.Body(name));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith(served, (await response.JsonAsync())["model"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        using (var auto = await client.PostChatAsync(ChatRequests.Body("openrouter/auto")))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, auto.StatusCode);
            Assert.Contains((await auto.JsonAsync())["model"]!.GetValue<string>(), Switchboard.Routing.AutoRouterOptions.DefaultCandidates);
        }
        var errors = new List<string>();
        await using var context = await Browser.NewContextAsync(client.BaseAddress!);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync("/sign-in");
        await page.GetByLabel("Management key").FillAsync(GatewayFactory.ManagementKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/models$"));
        var count = await page.GetByText(new Regex(@"^\d+ of \d+ models$")).TextContentAsync();
        var listed = int.Parse(count!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(listed >= 300, $"the demo lists {listed} models");
        await Browser.ScreenshotAsync(page, "readme-models", fullPage: false);

        // A provider's own model name finds the model.
        await page.GetByLabel("Search").FillAsync("claude-sonnet-4-5");
        await page.GetByRole(AriaRole.Link, new() { Name = "Anthropic: Claude Sonnet 4.5" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Providers" })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "readme-model", fullPage: false);

        await page.GetByRole(AriaRole.Link, new() { Name = "Playground", Exact = true }).ClickAsync();
        await page.GetByLabel("Model").SelectOptionAsync("anthropic/claude-sonnet-4.5");
        await page.GetByLabel("Message").FillAsync("What can a gateway like this do for my team?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var reply = page.Locator("[data-reply]").Nth(0);
        await Expect(reply).ToHaveAttributeAsync("data-state", "done");
        // Readable words, and honest that they are simulated.
        await Expect(reply.Locator(".body")).ToContainTextAsync(new Regex("simulat", RegexOptions.IgnoreCase));
        await Expect(reply.Locator(".body")).Not.ToContainTextAsync(new Regex(@"\btok\d"));
        await Browser.ScreenshotAsync(page, "readme-playground", fullPage: false);

        await page.GetByRole(AriaRole.Link, new() { Name = "Compare", Exact = true }).ClickAsync();
        await page.GetByLabel("Model A").SelectOptionAsync("openai/gpt-5.4-mini");
        await page.GetByLabel("Model B").SelectOptionAsync("google/gemini-3.5-flash");
        await page.GetByLabel("Prompt").FillAsync("Explain prompt caching in two sentences.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare", Exact = true }).ClickAsync();
        var columns = page.Locator("[data-column]");
        await Expect(columns.Nth(0)).ToHaveAttributeAsync("data-state", "done");
        await Expect(columns.Nth(1)).ToHaveAttributeAsync("data-state", "done");
        await Browser.ScreenshotAsync(page, "readme-compare", fullPage: false);

        await page.GetByRole(AriaRole.Link, new() { Name = "Activity", Exact = true }).ClickAsync();
        await Expect(page.Locator(".legend")).ToContainTextAsync("anthropic/claude-sonnet-4.5");
        await Browser.ScreenshotAsync(page, "readme-activity", fullPage: false);

        Assert.Empty(errors);
    }
}
