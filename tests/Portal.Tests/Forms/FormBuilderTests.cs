using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alba;
using Portal.Forms.IntakeForms;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

/// <summary>The console's field-by-field builder, driven by its plain form posts through the real host.</summary>
public sealed partial class FormBuilderTests(PortalFixture fixture) : FormsTest(fixture)
{
    private static FormField Field(string key, string label, FieldType type, bool required = false, ShowWhen? when = null) =>
        new() { Key = key, Label = label, Type = type, Required = required, ShowWhen = when };

    /// <summary>The intake form the tests build: a conditional section, every answer type and every rule the schema has.</summary>
    private static FormSchema HistoryForm() => new()
    {
        Sections =
        [
            new FormSection
            {
                Key = "about", Title = "About you",
                Fields =
                [
                    new FormField
                    {
                        Key = "reason", Label = "What brings you to therapy?", Type = FieldType.LongText, Required = true,
                        Help = "A sentence or two is enough.", MaxLength = 2000
                    },
                    new FormField { Key = "initials", Label = "Your initials", Type = FieldType.ShortText, MaxLength = 4, Pattern = "[A-Z]{1,4}" },
                    new FormField { Key = "age", Label = "Your age", Type = FieldType.Number, Required = true, Min = 18, Max = 120 },
                    new FormField
                    {
                        Key = "born", Label = "Date of birth", Type = FieldType.Date,
                        MinDate = new DateOnly(1900, 1, 1), MaxDate = new DateOnly(2010, 12, 31)
                    },
                    Field("prior_therapy", "Have you been in therapy before?", FieldType.YesNo, required: true),
                ],
            },
            new FormSection
            {
                Key = "earlier", Title = "Earlier therapy", ShowWhen = new ShowWhen { Field = "prior_therapy", Value = "yes" },
                Fields =
                [
                    Field("prior_provider", "Who did you see?", FieldType.ShortText, required: true),
                    new FormField
                    {
                        Key = "approach", Label = "What kind of therapy was it?", Type = FieldType.SingleChoice, Options = ["CBT", "DBT", "Other"]
                    },
                    Field("approach_other", "Which other kind?", FieldType.ShortText, when: new ShowWhen { Field = "approach", Value = "Other" }),
                    new FormField
                    {
                        Key = "helped", Label = "What helped?", Type = FieldType.MultipleChoice,
                        Options = ["Talking", "Exercises", "Medication"], Min = 1, Max = 2
                    },
                ],
            },
        ],
    };

    [Fact]
    public async Task A_provider_builds_an_intake_form_field_by_field_and_the_draft_holds_exactly_what_was_built()
    {
        var provider = await Host.NewProviderAsync();
        var index = await Open(provider, "/console/forms");
        var created = await Post(provider, "/console/forms", "Build", new() { ["Title"] = "Health history" }, index);
        created.Context.Response.StatusCode.ShouldBe(302);
        var builder = created.Context.Response.Headers.Location.ToString();
        builder.ShouldMatch("^/console/forms/[0-9a-f-]{36}/builder$");
        var formId = Guid.Parse(builder.Split('/')[3]);
        var form = await Load(formId);
        form.Revision.ShouldBe(1);
        Json(form.Schema).ShouldBe(Json(new FormSchema
        {
            Sections =
            [
                new FormSection { Key = "new_section", Title = "New section", Fields = [Field("new_question", "New question", FieldType.ShortText)] }
            ]
        }));

        var opened = await Open(provider, builder);
        opened.Html.ShouldContain("Advanced (JSON)");
        opened.Html.ShouldContain("id=\"s0f0-label\"");
        InlineScript().IsMatch(opened.Html).ShouldBeFalse();

        // The first section, typed field by field, with a question added: the typed state is saved with the new question.
        var about = HistoryForm().Sections[0];
        var first = new FormSchema { Sections = [new FormSection { Key = "about", Title = "About you", Fields = about.Fields.Take(4).ToList() }] };
        (await Post(provider, builder, "AddField", State("Health history", 1, first), opened, "section=0")).Context.Response.StatusCode.ShouldBe(302);
        form = await Load(formId);
        form.Revision.ShouldBe(2);
        form.Schema.Sections[0].Fields.Count.ShouldBe(5);
        form.Schema.Sections[0].Fields[4].Key.ShouldBe("new_question");
        form.Schema.Sections[0].Fields[4].Label.ShouldBe("New question");

        // A yes/no question in its place (the key left empty is made from the question), then a new section.
        first.Sections[0].Fields.Add(Field("", "Have you been in therapy before?", FieldType.YesNo, required: true));
        (await Post(provider, builder, "AddSection", State("Health history", 2, first), opened)).Context.Response.StatusCode.ShouldBe(302);
        form = await Load(formId);
        form.Schema.Sections[0].Fields[4].Key.ShouldBe("have_you_been_in_therapy_before");
        form.Schema.Sections.Select(s => s.Title).ShouldBe(["About you", "New section"]);

        // The second section and its questions, with "Yes" typed as the provider sees it; saved as the form's "yes".
        var built = HistoryForm();
        var typed = HistoryForm();
        typed.Sections[1].ShowWhen = new ShowWhen { Field = "prior_therapy", Value = "Yes" };
        typed.Sections[1].Fields[2].ShowWhen = new ShowWhen { Field = "approach", Value = "other" };
        var saved = await Post(provider, builder, "Save", State("Health history", 3, typed), opened);
        saved.Context.Response.StatusCode.ShouldBe(302);
        saved.Context.Response.Headers.Location.ToString().ShouldBe($"{builder}?done=saved");
        form = await Load(formId);
        form.Revision.ShouldBe(4);
        Json(form.Schema).ShouldBe(Json(built));
        (await (await Send(provider, HttpMethod.Get, builder, null, 200)).ReadAsTextAsync()).ShouldContain("value=\"prior_provider\"");

        // Reordering and removing: "Date of birth" up one place, the initials question removed.
        var moved = await Post(provider, builder, "MoveField", State("Health history", 4, built), opened, "section=0&field=3&by=-1");
        moved.Context.Response.StatusCode.ShouldBe(302);
        moved.Context.Response.Headers.Location.ToString().ShouldBe($"{builder}?done=moved#s0f2");
        (await Load(formId)).Schema.Sections[0].Fields.Select(f => f.Key).ShouldBe(["reason", "initials", "born", "age", "prior_therapy"]);
        var order = built.Sections[0].Fields;
        built.Sections[0].Fields = [order[0], order[1], order[3], order[2], order[4]];
        (await Post(provider, builder, "RemoveField", State("Health history", 5, built), opened, "section=0&field=1"))
            .Context.Response.StatusCode.ShouldBe(302);
        form = await Load(formId);
        form.Revision.ShouldBe(6);
        form.Schema.Sections[0].Fields.Select(f => f.Key).ShouldBe(["reason", "born", "age", "prior_therapy"]);

        // Publishing from the builder freezes the saved draft as version 1.
        var published = await Post(provider, builder, "Publish", new() { ["Draft.Revision"] = "6" }, opened);
        published.Context.Response.Headers.Location.ToString().ShouldBe($"{builder}?done=published&version=1");
        form = await Load(formId);
        form.Versions.ShouldHaveSingleItem().Number.ShouldBe(1);
        Json(form.Versions[0].Schema).ShouldBe(Json(form.Schema));
        (await (await Send(provider, HttpMethod.Get, $"{builder}?done=published&version=1", null, 200)).ReadAsTextAsync())
            .ShouldContain("Published version 1.");
    }

    [Fact]
    public async Task A_condition_on_a_later_field_or_on_a_choice_the_field_lacks_is_refused_beside_that_field_and_nothing_changes()
    {
        var provider = await Host.NewProviderAsync();
        var (formId, builder) = await CreateAsync(provider, HistoryForm());
        var opened = await Open(provider, builder);
        var before = Json((await Load(formId)).Schema);

        var later = HistoryForm();
        later.Sections[0].Fields[0].ShowWhen = new ShowWhen { Field = "prior_provider", Value = "Dr. Rivera" };
        later.Sections[0].Fields[0].Label = "Reason, as typed before the refusal";
        var refused = await Post(provider, builder, "Save", State("Health history", 1, later), opened);
        refused.Context.Response.StatusCode.ShouldBe(400);
        var html = WebUtility.HtmlDecode(await refused.ReadAsTextAsync());
        html.ShouldContain("Nothing was saved");
        html.ShouldContain("<a href=\"#s0f0-when\">Question 1 \u201cReason, as typed before the refusal\u201d in section 1</a>: " +
                           "A condition must name a field that comes earlier in the form.");
        html.ShouldContain("id=\"s0f0-when-error\"");
        html.ShouldContain("value=\"Reason, as typed before the refusal\"");
        html.ShouldContain("prior_provider (not an earlier question)");

        var missing = HistoryForm();
        missing.Sections[1].Fields[2].ShowWhen = new ShowWhen { Field = "approach", Value = "EMDR" };
        var noSuchChoice = await Post(provider, builder, "AddField", State("Health history", 1, missing), opened, "section=1");
        noSuchChoice.Context.Response.StatusCode.ShouldBe(400);
        html = WebUtility.HtmlDecode(await noSuchChoice.ReadAsTextAsync());
        html.ShouldContain("<a href=\"#s1f2-value\">Question 3 \u201cWhich other kind?\u201d in section 2</a>: " +
                           "'EMDR' is not an answer the field 'approach' can have.");
        html.ShouldContain("id=\"s1f4-label\"");

        var notANumber = HistoryForm();
        var state = State("Health history", 1, notANumber);
        state["Draft.Sections[0].Fields[2].Max"] = "a lot";
        var badNumber = await Post(provider, builder, "Save", state, opened);
        badNumber.Context.Response.StatusCode.ShouldBe(400);
        WebUtility.HtmlDecode(await badNumber.ReadAsTextAsync()).ShouldContain("'a lot' is not a number.");

        var form = await Load(formId);
        form.Revision.ShouldBe(1);
        Json(form.Schema).ShouldBe(before);
    }

    [Fact]
    public async Task A_date_question_s_earliest_date_after_its_latest_or_a_date_not_as_YYYY_MM_DD_is_refused_beside_that_question()
    {
        var provider = await Host.NewProviderAsync();
        var (formId, builder) = await CreateAsync(provider, HistoryForm());
        var opened = await Open(provider, builder);
        opened.Html.ShouldContain("id=\"s0f3-mindate\"");
        opened.Html.ShouldContain("value=\"2010-12-31\"");
        var before = Json((await Load(formId)).Schema);

        var reversed = State("Health history", 1, HistoryForm());
        reversed["Draft.Sections[0].Fields[3].MinDate"] = "2011-01-01";
        var refused = await Post(provider, builder, "Save", reversed, opened);
        refused.Context.Response.StatusCode.ShouldBe(400);
        var html = WebUtility.HtmlDecode(await refused.ReadAsTextAsync());
        html.ShouldContain("<a href=\"#s0f3-maxdate\">Question 4 \u201cDate of birth\u201d in section 1</a>: " +
                           "The latest date must not be before the earliest date.");
        html.ShouldContain("id=\"s0f3-maxdate-error\"");

        var notADate = State("Health history", 1, HistoryForm());
        notADate["Draft.Sections[0].Fields[3].MaxDate"] = "31/12/2010";
        var badDate = await Post(provider, builder, "Save", notADate, opened);
        badDate.Context.Response.StatusCode.ShouldBe(400);
        WebUtility.HtmlDecode(await badDate.ReadAsTextAsync()).ShouldContain("'31/12/2010' is not a date as YYYY-MM-DD.");

        var form = await Load(formId);
        form.Revision.ShouldBe(1);
        Json(form.Schema).ShouldBe(before);
    }

    [Fact]
    public async Task Another_practice_s_provider_gets_404_and_a_stale_revision_gets_409_and_neither_changes_the_draft()
    {
        var provider = await Host.NewProviderAsync();
        var (formId, builder) = await CreateAsync(provider, HistoryForm());
        var opened = await Open(provider, builder);

        var stranger = await Host.NewProviderAsync();
        await Send(stranger, HttpMethod.Get, builder, null, 404);
        var strangerPage = await Open(stranger, "/console/forms");
        var changed = HistoryForm();
        changed.Sections[0].Title = "Taken over";
        (await Post(stranger, builder, "Save", State("Taken over", 1, changed), strangerPage)).Context.Response.StatusCode.ShouldBe(404);
        (await Post(stranger, builder, "RemoveSection", State("Taken over", 1, changed), strangerPage, "section=1"))
            .Context.Response.StatusCode.ShouldBe(404);
        (await Load(formId)).Revision.ShouldBe(1);

        // Someone else saves first (through the API); the builder's post on revision 1 is refused like the JSON editor's.
        var elsewhere = HistoryForm();
        elsewhere.Sections[0].Title = "Changed elsewhere";
        await Send(provider, HttpMethod.Put, $"/api/forms/{formId}", new { title = "Health history", schema = elsewhere, revision = 1 }, 200);
        var stale = await Post(provider, builder, "Save", State("Health history", 1, changed), opened);
        stale.Context.Response.StatusCode.ShouldBe(409);
        var html = WebUtility.HtmlDecode(await stale.ReadAsTextAsync());
        html.ShouldContain("The form was changed elsewhere (revision 2); reload it before saving.");
        html.ShouldContain("value=\"Taken over\"");
        (await Post(provider, builder, "AddSection", State("Health history", 1, changed), opened)).Context.Response.StatusCode.ShouldBe(409);

        var form = await Load(formId);
        form.Revision.ShouldBe(2);
        form.Schema.Sections[0].Title.ShouldBe("Changed elsewhere");
        form.Schema.Sections.Count.ShouldBe(2);

        // The refused saves left the form's edit lock free: a save on the current revision goes through at once.
        var current = await Post(provider, builder, "Save", State("Health history", 2, changed), opened).WaitAsync(TimeSpan.FromSeconds(20));
        current.Context.Response.StatusCode.ShouldBe(302);
        (await Load(formId)).Schema.Sections[0].Title.ShouldBe("Taken over");
    }

    private async Task<(Guid FormId, string Builder)> CreateAsync(ProviderActor provider, FormSchema schema)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { title = "Health history", schema }).ToUrl("/api/forms");
            s.StatusCodeShouldBe(201);
        });
        var id = (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("formId").GetGuid();
        return (id, $"/console/forms/{id}/builder");
    }

    private async Task<IntakeForm> Load(Guid formId)
    {
        await using var session = OpenSession();
        return (await session.LoadAsync<IntakeForm>(formId))!;
    }

    private static string Json(FormSchema schema) => JsonSerializer.Serialize(schema);

    /// <summary>The builder's inputs for a whole draft, named as the page names them.</summary>
    private static Dictionary<string, string> State(string title, int revision, FormSchema schema)
    {
        var fields = new Dictionary<string, string> { ["Draft.Title"] = title, ["Draft.Revision"] = revision.ToString(CultureInfo.InvariantCulture) };
        for (var s = 0; s < schema.Sections.Count; s++)
        {
            var section = schema.Sections[s];
            var sn = $"Draft.Sections[{s}]";
            fields[$"{sn}.Key"] = section.Key;
            fields[$"{sn}.Title"] = section.Title;
            fields[$"{sn}.ShowWhenField"] = section.ShowWhen?.Field ?? "";
            fields[$"{sn}.ShowWhenValue"] = section.ShowWhen?.Value ?? "";
            for (var f = 0; f < section.Fields.Count; f++)
            {
                var field = section.Fields[f];
                var fn = $"{sn}.Fields[{f}]";
                fields[$"{fn}.Key"] = field.Key;
                fields[$"{fn}.Label"] = field.Label;
                fields[$"{fn}.Type"] = field.Type.ToString();
                if (field.Required) fields[$"{fn}.Required"] = "true";
                fields[$"{fn}.Help"] = field.Help ?? "";
                fields[$"{fn}.Options"] = string.Join("\r\n", field.Options);
                fields[$"{fn}.Min"] = field.Min?.ToString(CultureInfo.InvariantCulture) ?? "";
                fields[$"{fn}.Max"] = field.Max?.ToString(CultureInfo.InvariantCulture) ?? "";
                fields[$"{fn}.MinDate"] = field.MinDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
                fields[$"{fn}.MaxDate"] = field.MaxDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
                fields[$"{fn}.MaxLength"] = field.MaxLength?.ToString(CultureInfo.InvariantCulture) ?? "";
                fields[$"{fn}.Pattern"] = field.Pattern ?? "";
                fields[$"{fn}.ShowWhenField"] = field.ShowWhen?.Field ?? "";
                fields[$"{fn}.ShowWhenValue"] = field.ShowWhen?.Value ?? "";
            }
        }
        return fields;
    }

    private async Task<IScenarioResult> Post(ProviderActor provider, string page, string handler, Dictionary<string, string> fields,
        OpenedPage opened, string? query = null) =>
        await Host.Scenario(s => PostForm(s, provider, page, handler, fields, opened, query));

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
