using System.Text.Json;
using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Lifecycle;

/// <summary>Discharge, re-open and export through the real endpoints, waiting for what each change tells the modules.</summary>
public abstract class LifecycleTest(PortalFixture fixture) : PortalTest(fixture)
{
    public const string ClosedMessage = "Your access to this portal has been closed by your practice.";

    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> DischargeAsync(ISignedIn actor, Guid clientId,
        string? reason = "Treatment goals met", int status = 200) =>
        TrackedScenario(s =>
        {
            s.As(actor);
            s.Post.Json(new { reason }).ToUrl($"/api/console/clients/{clientId}/discharge");
            s.StatusCodeShouldBe(status);
        });

    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> ReopenAsync(ISignedIn actor, Guid clientId, int status = 200) =>
        TrackedScenario(s =>
        {
            s.As(actor);
            s.Post.Url($"/api/console/clients/{clientId}/reopen");
            s.StatusCodeShouldBe(status);
        });

    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> RequestInsuranceAsync(ProviderActor provider, Guid clientId,
        int status = 201) =>
        TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { kind = "AddInsurance", dueInDays = 7, remindEveryDays = 3, maxReminders = 2 })
                .ToUrl($"/api/clients/{clientId}/requests");
            s.StatusCodeShouldBe(status);
        });

    protected async Task<JsonElement> GetJsonAsync(ISignedIn actor, string url, int status = 200)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(actor);
            s.Get.Url(url);
            s.StatusCodeShouldBe(status);
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    /// <summary>The sign-in endpoint's answer: its status and problem title (null on success).</summary>
    protected async Task<(int Status, string? Title)> SignInAnswerAsync(string email, string password)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { email, password }).ToUrl("/api/account/sign-in");
            s.IgnoreStatusCode();
        });
        var status = result.Context.Response.StatusCode;
        return (status, status == 200 ? null : (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    protected async Task<IReadOnlyList<AuditEntry>> AuditOfAsync(Guid clientId, string action)
    {
        await using var session = OpenSession();
        return await session.Query<AuditEntry>().Where(a => a.ClientId == clientId && a.Action == action).ToListAsync();
    }

    protected static async Task<string> TitleOf(IScenarioResult result) =>
        (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString()!;
}
