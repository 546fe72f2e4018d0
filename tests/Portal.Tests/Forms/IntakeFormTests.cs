using System.Text.Json;
using CsCheck;
using Marten;
using Portal.Contracts;
using Portal.Forms.IntakeForms;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

public sealed class IntakeFormTests(PortalFixture fixture) : FormsTest(fixture)
{
    private sealed record Saved(Guid FormId, int Revision);
    private sealed record Published(Guid FormId, int Version);
    private sealed record ToFill(Guid FormId, int Version, string Title, Dictionary<string, List<string>> Draft);
    private sealed record Submitted(Guid ResponseId, Guid FormId, int Version);
    private sealed record AnsweredField(string Key, string Label, List<string> Answer);
    private sealed record AnsweredSection(string Title, List<AnsweredField> Fields);
    private sealed record ResponseDetail(Guid ResponseId, int FormVersion, List<AnsweredSection> Sections);

    private static object InsuranceForm => new
    {
        sections = new object[]
        {
            new { key = "about", title = "About you", fields = new object[]
            {
                new { key = "has_insurance", label = "Do you have health insurance?", type = "YesNo", required = true },
            } },
            new { key = "insurance", title = "Your insurance", showWhen = new { field = "has_insurance", value = "yes" }, fields = new object[]
            {
                new { key = "payer", label = "Insurance company", type = "ShortText", required = true, maxLength = 100 },
            } },
        },
    };

    private async Task<(ProviderActor Provider, ClientActor Client, Guid FormId)> PublishedForm()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var saved = await Json<Saved>(provider, HttpMethod.Post, "/api/forms", new { title = "New client intake", schema = InsuranceForm }, 201);
        var (tracked, result) = await Tracked(provider, HttpMethod.Post, $"/api/forms/{saved.FormId}/publish",
            new { revision = saved.Revision }, 200);
        (await result.ReadAsJsonAsync<Published>())!.Version.ShouldBe(1);
        var catalog = Published<IntakeFormPublished>(tracked).ShouldHaveSingleItem();
        catalog.FormId.ShouldBe(saved.FormId);
        catalog.PracticeId.ShouldBe(provider.PracticeId);
        catalog.FieldKeys.ShouldBe(["has_insurance", "payer"]);
        return (provider, client, saved.FormId);
    }

    [Fact]
    public async Task A_section_shown_only_after_yes_is_required_after_yes_and_its_answers_are_not_kept_after_no()
    {
        var (provider, client, formId) = await PublishedForm();

        var refused = await Send(client, HttpMethod.Post, $"/api/portal/forms/{formId}/responses",
            new { version = 1, answers = new { has_insurance = "yes" } }, 400);
        (await refused.ReadAsTextAsync()).ShouldContain("answers.payer");

        var (tracked, result) = await Tracked(client, HttpMethod.Post, $"/api/portal/forms/{formId}/responses",
            new { version = 1, answers = new { has_insurance = false, payer = "Hidden Mutual" } }, 201);
        var submitted = (await result.ReadAsJsonAsync<Submitted>())!;

        await using (var session = OpenSession())
        {
            var stored = await session.LoadAsync<FormResponse>(submitted.ResponseId);
            stored!.Answers.Keys.ShouldBe(["has_insurance"]);
            stored.Answers["has_insurance"].ShouldBe(["no"]);
        }
        var completed = Published<IntakeFormCompleted>(tracked).ShouldHaveSingleItem();
        completed.FormId.ShouldBe(formId);
        completed.FormVersion.ShouldBe(1);
        completed.ClientId.ShouldBe(client.ClientId);
        var shared = Published<IntakeFormAnswersShared>(tracked).ShouldHaveSingleItem();
        shared.Answers.Keys.ShouldBe(["has_insurance"]);
        shared.Answers["has_insurance"].ShouldBe("no");

        var detail = await Json<ResponseDetail>(provider, HttpMethod.Get, $"/api/form-responses/{submitted.ResponseId}", null, 200);
        detail.Sections.ShouldHaveSingleItem().Fields.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            f => f.Label.ShouldBe("Do you have health insurance?"), f => f.Answer.ShouldBe(["no"]));
        (await Send(provider, HttpMethod.Get, $"/console/form-responses/{submitted.ResponseId}", null, 200)
                .ContinueWith(t => t.Result.ReadAsTextAsync()).Unwrap())
            .ShouldContain("Do you have health insurance?");

        var stranger = await Host.NewProviderAsync();
        await Send(stranger, HttpMethod.Get, $"/api/form-responses/{submitted.ResponseId}", null, 404);
        await Send(stranger, HttpMethod.Get, $"/api/clients/{client.ClientId}/form-responses", null, 404);
    }

    [Fact]
    public async Task A_draft_saves_as_the_client_types_and_is_gone_once_the_form_is_submitted()
    {
        var (_, client, formId) = await PublishedForm();
        await Send(client, HttpMethod.Put, $"/api/portal/forms/{formId}/draft",
            new { version = 1, answers = new { has_insurance = "yes", payer = "Blue", unknown = "dropped" } }, 200);

        var form = await Json<ToFill>(client, HttpMethod.Get, $"/api/portal/forms/{formId}", null, 200);
        form.Draft.Keys.ShouldBe(["has_insurance", "payer"], ignoreOrder: true);
        form.Draft["payer"].ShouldBe(["Blue"]);

        await Send(client, HttpMethod.Post, $"/api/portal/forms/{formId}/responses",
            new { version = 1, answers = new { has_insurance = "yes", payer = "Blue Cross" } }, 201);
        (await Json<ToFill>(client, HttpMethod.Get, $"/api/portal/forms/{formId}", null, 200)).Draft.ShouldBeEmpty();
        await using var session = OpenSession();
        (await session.Query<FormDraft>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_draft_answer_over_its_field_limit_is_refused_naming_the_field_and_the_limit_and_the_saved_draft_stays_whole()
    {
        var (_, client, formId) = await PublishedForm();
        var longest = new string('B', 100);
        await Send(client, HttpMethod.Put, $"/api/portal/forms/{formId}/draft",
            new { version = 1, answers = new { has_insurance = "yes", payer = longest } }, 200);

        // The payer field takes 100 characters; one more, and far more (once cut to 20,000 and stored), are refused.
        foreach (var tooLong in new[] { longest + "C", new string('C', 20_001) })
        {
            var refused = await Send(client, HttpMethod.Put, $"/api/portal/forms/{formId}/draft",
                new { version = 1, answers = new { has_insurance = "no", payer = tooLong } }, 400);
            refused.Context.Response.ContentType.ShouldStartWith("application/problem+json");
            var errors = (await refused.ReadAsJsonAsync<ValidationProblem>())!.Errors;
            errors.Keys.ShouldBe(["answers.payer"]);
            errors["answers.payer"].ShouldBe(["Use at most 100 characters."]);
        }
        var tooMany = await Send(client, HttpMethod.Put, $"/api/portal/forms/{formId}/draft",
            new { version = 1, answers = new { payer = Enumerable.Repeat("Blue", 101).ToArray() } }, 400);
        (await tooMany.ReadAsJsonAsync<ValidationProblem>())!.Errors["answers.payer"].ShouldBe(["Give at most 100 answers."]);

        // Nothing was stored cut: the draft is the one saved before, whole.
        var form = await Json<ToFill>(client, HttpMethod.Get, $"/api/portal/forms/{formId}", null, 200);
        form.Draft["has_insurance"].ShouldBe(["yes"]);
        form.Draft["payer"].ShouldBe([longest]);

        var submitted = await Send(client, HttpMethod.Post, $"/api/portal/forms/{formId}/responses",
            new { version = 1, answers = new { has_insurance = "yes", payer = longest + "C" } }, 400);
        (await submitted.ReadAsJsonAsync<ValidationProblem>())!.Errors["answers.payer"].ShouldBe(["Use at most 100 characters."]);
        await using var session = OpenSession();
        (await session.Query<FormResponse>().CountAsync()).ShouldBe(0);
    }

    private sealed record ValidationProblem(string Title, Dictionary<string, string[]> Errors);

    [Fact]
    public async Task An_edit_after_publishing_becomes_a_new_version_and_earlier_responses_keep_theirs()
    {
        var (provider, client, formId) = await PublishedForm();
        var first = await Json<Submitted>(client, HttpMethod.Post, $"/api/portal/forms/{formId}/responses",
            new { version = 1, answers = new { has_insurance = "yes", payer = "Aetna" } }, 201);

        var saved = await Json<Saved>(provider, HttpMethod.Put, $"/api/forms/{formId}",
            new { title = "New client intake (2027)", schema = InsuranceForm, revision = 2 }, 200);
        await Send(provider, HttpMethod.Put, $"/api/forms/{formId}", new { title = "Stale", schema = InsuranceForm, revision = 2 }, 409);
        (await Json<Published>(provider, HttpMethod.Post, $"/api/forms/{formId}/publish", new { revision = saved.Revision }, 200))
            .Version.ShouldBe(2);

        (await Json<ToFill>(client, HttpMethod.Get, $"/api/portal/forms/{formId}", null, 200)).Version.ShouldBe(2);
        (await Json<ResponseDetail>(provider, HttpMethod.Get, $"/api/form-responses/{first.ResponseId}", null, 200)).FormVersion.ShouldBe(1);
        await Send(client, HttpMethod.Post, $"/api/portal/forms/{formId}/responses",
            new { version = 7, answers = new { has_insurance = "no" } }, 404);
    }

    [Fact]
    public async Task A_schema_with_a_condition_on_a_later_field_is_refused_naming_the_field()
    {
        var provider = await Host.NewProviderAsync();
        var bad = new
        {
            sections = new object[]
            {
                new { key = "a", title = "A", showWhen = new { field = "later", value = "yes" },
                    fields = new object[] { new { key = "first", label = "First", type = "ShortText" } } },
                new { key = "b", title = "B", fields = new object[] { new { key = "later", label = "Later", type = "YesNo" } } },
            },
        };
        var result = await Send(provider, HttpMethod.Post, "/api/forms", new { title = "Broken", schema = bad }, 400);
        (await result.ReadAsTextAsync()).ShouldContain("schema.sections[0].showWhen.field");
    }

    [Fact]
    public async Task Random_submissions_to_random_forms_through_the_endpoint_never_give_a_500_and_never_store_hidden_fields()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var cases = RandomForms.Seeds.Array[30].Single();
        foreach (var (schemaSeed, answerSeed) in cases)
        {
            var schema = RandomForms.Schema(schemaSeed);
            var saved = await Json<Saved>(provider, HttpMethod.Post, "/api/forms", new { title = $"Form {schemaSeed}", schema }, 201);
            await Send(provider, HttpMethod.Post, $"/api/forms/{saved.FormId}/publish", new { revision = saved.Revision }, 200);

            var answers = RandomForms.Answers(schema, answerSeed);
            // A draft keeps any answers, checked or not, but never one longer than its field allows (refused, not cut).
            var overLimit = RawAnswers.FromJson(answers).Values.Any(a => schema.AllFields.FirstOrDefault(f => f.Key == a.Key) is { } field
                && a.Value.Any(v => v.Length > FormEvaluator.MostCharacters(field)));
            var result = await Host.Scenario(s =>
            {
                s.As(client);
                s.Put.Json(new { version = 1, answers }).ToUrl($"/api/portal/forms/{saved.FormId}/draft");
                s.StatusCodeShouldBe(overLimit ? 400 : 200);
            });
            result = await Host.Scenario(s =>
            {
                s.As(client);
                s.Post.Json(new { version = 1, answers }).ToUrl($"/api/portal/forms/{saved.FormId}/responses");
                s.IgnoreStatusCode();
            });
            var status = result.Context.Response.StatusCode;
            status.ShouldBeOneOf(201, 400);

            var expected = FormEvaluator.Evaluate(schema, RawAnswers.FromJson(answers));
            (status == 201).ShouldBe(expected.IsValid, $"schema seed {schemaSeed}, answer seed {answerSeed}");
            if (status != 201) continue;

            var submitted = (await result.ReadAsJsonAsync<Submitted>())!;
            await using var session = OpenSession();
            var stored = (await session.LoadAsync<FormResponse>(submitted.ResponseId))!;
            var hidden = schema.AllFields.Select(f => f.Key).Where(k => !expected.Visible.Contains(k)).ToList();
            stored.Answers.Keys.ShouldAllBe(key => !hidden.Contains(key));
            stored.Answers.Keys.ShouldBe(expected.Kept.Keys, ignoreOrder: true);
        }
    }
}
