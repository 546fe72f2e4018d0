using Marten;
using Portal.Forms.IntakeForms;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

/// <summary>
/// A date question may set the earliest and latest date a client may give (a first visit within the next quarter, a
/// date of birth not in the future): the provider's form is refused when they are reversed, and the client's answer
/// when it falls outside them, each time naming the field.
/// </summary>
public sealed class DateRangeTests(PortalFixture fixture) : FormsTest(fixture)
{
    private sealed record Saved(Guid FormId, int Revision);
    private sealed record Submitted(Guid ResponseId, Guid FormId, int Version);

    private static object FormWith(params object[] fields) => new
    {
        sections = new object[] { new { key = "visit", title = "Your first visit", fields } },
    };

    private static object FirstVisit(string? minDate, string? maxDate, string type = "Date") =>
        new { key = "first_visit", label = "When would you like your first visit?", type, required = true, minDate, maxDate };

    [Fact]
    public async Task A_date_before_the_earliest_or_after_the_latest_date_is_refused_naming_the_field_and_the_bounds_themselves_are_accepted()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var saved = await Json<Saved>(provider, HttpMethod.Post, "/api/forms",
            new
            {
                title = "First visit",
                schema = FormWith(FirstVisit("2027-01-04", "2027-03-31"),
                    new { key = "seen_before", label = "Seen before?", type = "Date", minDate = "2026-01-01" })
            }, 201);
        await Send(provider, HttpMethod.Post, $"/api/forms/{saved.FormId}/publish", new { revision = saved.Revision }, 200);
        var responses = $"/api/portal/forms/{saved.FormId}/responses";

        var early = await (await Send(client, HttpMethod.Post, responses,
            new { version = 1, answers = new { first_visit = "2027-01-03" } }, 400)).ReadAsTextAsync();
        early.ShouldContain("answers.first_visit");
        early.ShouldContain("Enter 2027-01-04 or later.");
        var late = await (await Send(client, HttpMethod.Post, responses,
            new { version = 1, answers = new { first_visit = "2027-04-01" } }, 400)).ReadAsTextAsync();
        late.ShouldContain("answers.first_visit");
        late.ShouldContain("Enter 2027-03-31 or earlier.");
        var openEnded = await (await Send(client, HttpMethod.Post, responses,
            new { version = 1, answers = new { first_visit = "2027-02-01", seen_before = "2025-12-31" } }, 400)).ReadAsTextAsync();
        openEnded.ShouldContain("answers.seen_before");
        openEnded.ShouldNotContain("answers.first_visit");

        var fill = await (await Send(client, HttpMethod.Get, $"/portal/forms/{saved.FormId}", null, 200)).ReadAsTextAsync();
        fill.ShouldContain("type=\"date\"");
        fill.ShouldContain("min=\"2027-01-04\" max=\"2027-03-31\"");

        var accepted = await Json<Submitted>(client, HttpMethod.Post, responses,
            new { version = 1, answers = new { first_visit = "2027-03-31", seen_before = "2099-05-01" } }, 201);
        await using var session = OpenSession();
        var stored = await session.LoadAsync<FormResponse>(accepted.ResponseId);
        stored!.Answers["first_visit"].ShouldBe(["2027-03-31"]);
        stored.Answers["seen_before"].ShouldBe(["2099-05-01"]);
    }

    [Fact]
    public async Task A_form_whose_earliest_date_comes_after_its_latest_is_refused_naming_the_field_when_created_and_when_saved()
    {
        var provider = await Host.NewProviderAsync();
        var refused = await (await Send(provider, HttpMethod.Post, "/api/forms",
            new { title = "First visit", schema = FormWith(FirstVisit("2027-03-31", "2027-01-04")) }, 400)).ReadAsTextAsync();
        refused.ShouldContain("schema.sections[0].fields[0].maxDate");
        refused.ShouldContain("The latest date must not be before the earliest date.");

        var saved = await Json<Saved>(provider, HttpMethod.Post, "/api/forms",
            new { title = "First visit", schema = FormWith(FirstVisit("2027-01-04", "2027-01-04")) }, 201);
        var reversed = await (await Send(provider, HttpMethod.Put, $"/api/forms/{saved.FormId}",
            new { title = "First visit", schema = FormWith(FirstVisit("2027-01-05", "2027-01-04")), revision = saved.Revision }, 400))
            .ReadAsTextAsync();
        reversed.ShouldContain("schema.sections[0].fields[0].maxDate");

        var onANumber = await (await Send(provider, HttpMethod.Put, $"/api/forms/{saved.FormId}",
            new { title = "First visit", schema = FormWith(FirstVisit("2027-01-04", null, type: "Number")), revision = saved.Revision }, 400))
            .ReadAsTextAsync();
        onANumber.ShouldContain("schema.sections[0].fields[0].minDate");
        onANumber.ShouldContain("Earliest and latest dates apply to date fields.");

        await using var session = OpenSession();
        var form = (await session.LoadAsync<IntakeForm>(saved.FormId))!;
        form.Revision.ShouldBe(saved.Revision);
        form.Schema.AllFields.Single().ShouldSatisfyAllConditions(
            f => f.MinDate.ShouldBe(new DateOnly(2027, 1, 4)), f => f.MaxDate.ShouldBe(new DateOnly(2027, 1, 4)));
    }
}
