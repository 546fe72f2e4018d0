using System.Text.Json;
using Alba;
using Npgsql;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Host;

/// <summary>
/// A journey through every module that holds health or payment information: each read and change lands in the audit
/// log, and no audit column holds an answer, a member id, a card number or token, a password or a session cookie.
/// </summary>
public sealed class AuditContentTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const string MemberId = "QZMEMBER7731K";
    private const string GroupNumber = "QZGROUP5519";
    private const string FormAnswer = "Quetzalcoatl Mutual Assurance";
    private const string DraftAnswer = "Xylophage Health Draft";
    private const string CardNumber = "4242424242424242";
    private static readonly int[] Phq9 = [3, 1, 2, 0, 3, 1, 2, 2, 0];

    private sealed record Saved(Guid FormId, int Revision);

    private sealed record Submitted(Guid ResponseId, Guid FormId, int Version);

    [Fact]
    public async Task Every_read_and_change_of_health_or_payment_information_is_audited_and_no_audit_column_holds_the_information()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        // Insurance: the client saves a plan; the provider reads it.
        var insurance = await Send(client, HttpMethod.Get, "/api/insurance", null, 200);
        var version = (await insurance.ReadAsJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
        await Send(client, HttpMethod.Put, "/api/insurance/plans/primary", new
        {
            expectedVersion = version, payerId = "aetna", planName = "Open Access", memberId = MemberId, groupNumber = GroupNumber,
            subscriber = new { isClient = true },
        }, 200);
        await Send(provider, HttpMethod.Get, $"/api/console/clients/{client.ClientId}/insurance", null, 200);

        // Autopay: the card is tokenized by the processor, the client enrols with the token; the provider reads it.
        var next = Clock.GetUtcNow().AddYears(1);
        var tokenized = await Send(client, HttpMethod.Post, "/sandbox-gateway/tokens",
            new { number = CardNumber, expMonth = next.Month, expYear = next.Year, cvc = "123" }, 200);
        var cardToken = (await tokenized.ReadAsJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        await TrackedScenario(s =>
        {
            Request(s, client, HttpMethod.Post, "/api/autopay/enrolment", new
            {
                cardToken, cardholderName = "Robin Client", billingPostalCode = "97201", consentVersion = "2026-11-01", agreedToAuthorization = true,
            });
            s.StatusCodeShouldBe(200);
        });
        await Send(client, HttpMethod.Get, "/api/autopay", null, 200);
        await Send(provider, HttpMethod.Get, $"/api/autopay/clients/{client.ClientId}", null, 200);

        // PHQ-9: the client answers; the provider reads the results.
        await TrackedScenario(s =>
        {
            Request(s, client, HttpMethod.Post, "/api/portal/assessments/phq9", new { answers = Phq9 });
            s.StatusCodeShouldBe(201);
        });
        await Send(provider, HttpMethod.Get, $"/api/clients/{client.ClientId}/assessments", null, 200);

        // An intake form: drafted, submitted, read by the provider.
        var form = await Send(provider, HttpMethod.Post, "/api/forms", new
        {
            title = "Coverage",
            schema = new { sections = new object[] { new { key = "about", title = "About you", fields = new object[]
            {
                new { key = "payer", label = "Insurance company", type = "ShortText", required = true, maxLength = 100 },
            } } } },
        }, 201);
        var saved = (await form.ReadAsJsonAsync<Saved>())!;
        await TrackedScenario(s =>
        {
            Request(s, provider, HttpMethod.Post, $"/api/forms/{saved.FormId}/publish", new { revision = saved.Revision });
            s.StatusCodeShouldBe(200);
        });
        await Send(client, HttpMethod.Put, $"/api/portal/forms/{saved.FormId}/draft",
            new { version = 1, answers = new { payer = DraftAnswer } }, 200);
        var (_, submittedResult) = await TrackedScenario(s =>
        {
            Request(s, client, HttpMethod.Post, $"/api/portal/forms/{saved.FormId}/responses",
                new { version = 1, answers = new { payer = FormAnswer } });
            s.StatusCodeShouldBe(201);
        });
        var submitted = (await submittedResult.ReadAsJsonAsync<Submitted>())!;
        await Send(provider, HttpMethod.Get, $"/api/form-responses/{submitted.ResponseId}", null, 200);

        // The provider's client profile page composes every module's section.
        await Send(provider, HttpMethod.Get, $"/console/clients/{client.ClientId}", null, 200);

        var audit = await AuditRowsAsync();
        var actions = audit.Where(r => r.ClientId == client.ClientId).Select(r => r.Action).ToHashSet();
        string[] expected =
        [
            "insurance.read", "insurance.change", "autopay.enrol", "autopay.read", "forms.assessment.complete", "forms.assessment.read",
            "forms.draft.save", "forms.response.submit", "forms.response.read", "account.sign-in",
        ];
        expected.Where(a => !actions.Contains(a)).ShouldBeEmpty();

        var secrets = new Dictionary<string, string>
        {
            ["member id"] = MemberId,
            ["group number"] = GroupNumber,
            ["form answer"] = FormAnswer,
            ["draft answer"] = DraftAnswer,
            ["card number"] = CardNumber,
            ["card token"] = cardToken,
            ["password"] = Actors.DefaultPassword,
            ["client session cookie"] = client.Cookie!["portal.session=".Length..],
            ["provider session cookie"] = provider.Cookie["portal.session=".Length..],
            ["PHQ-9 answers"] = string.Join(",", Phq9),
            ["PHQ-9 answers (JSON)"] = "[" + string.Join(", ", Phq9) + "]",
            ["PHQ-9 answers (spaced)"] = string.Join(", ", Phq9),
        };

        // Non-vacuity: the journey really stored the health and payment information (outside the audit log) ...
        foreach (var (name, value) in secrets.Where(s => s.Key is "member id" or "group number" or "form answer" or "card token"))
            (await TablesHoldingAsync(value)).ShouldNotBeEmpty($"the {name} should be stored by its module");
        // ... and the audit log has rows, each with every column read as text.
        audit.Count.ShouldBeGreaterThan(10);

        var leaks = new List<string>();
        foreach (var row in audit)
        foreach (var (name, value) in secrets)
        {
            if (row.Text.Contains(value, StringComparison.OrdinalIgnoreCase)) leaks.Add($"{row.Action}: holds the {name}");
        }
        Console.WriteLine($"audit content: {audit.Count} audit rows scanned for {secrets.Count} secrets; {actions.Count} actions for the client");
        leaks.ShouldBeEmpty();
    }

    private sealed record AuditRow(string Action, Guid? ClientId, string Text);

    /// <summary>Every audit row, all columns (the document and Marten's metadata) as one text.</summary>
    private static async Task<List<AuditRow>> AuditRowsAsync()
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select t.data ->> 'Action', t.data ->> 'ClientId', t::text from audit.mt_doc_auditentry t", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AuditRow>();
        while (await reader.ReadAsync())
            rows.Add(new AuditRow(reader.GetString(0), reader.IsDBNull(1) ? null : Guid.Parse(reader.GetString(1)), reader.GetString(2)));
        return rows;
    }

    /// <summary>The module tables (not the audit log, not Wolverine's envelopes) whose rows contain the text.</summary>
    private static async Task<List<string>> TablesHoldingAsync(string text)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables where table_type = 'BASE TABLE' " +
            "and table_schema not in ('pg_catalog', 'information_schema', 'wolverine', 'audit')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var holding = new List<string>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from {table} t where t::text like '%' || @text || '%'", connection);
            count.Parameters.AddWithValue("text", text);
            if ((long)(await count.ExecuteScalarAsync())! > 0) holding.Add(table);
        }
        return holding;
    }

    private async Task<IScenarioResult> Send(ISignedIn actor, HttpMethod method, string url, object? body, int status) =>
        await Host.Scenario(s =>
        {
            Request(s, actor, method, url, body);
            s.StatusCodeShouldBe(status);
        });

    private static void Request(Scenario s, ISignedIn actor, HttpMethod method, string url, object? body)
    {
        s.As(actor);
        if (method == HttpMethod.Get) s.Get.Url(url);
        else if (method == HttpMethod.Put) s.Put.Json(body ?? new { }).ToUrl(url);
        else s.Post.Json(body ?? new { }).ToUrl(url);
    }
}
