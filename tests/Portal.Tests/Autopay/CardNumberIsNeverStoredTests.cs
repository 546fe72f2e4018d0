using System.Text.Json;
using Alba;
using Npgsql;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Autopay;

public sealed class CardNumberIsNeverStoredTests(PortalFixture fixture) : AutopayTest(fixture)
{
    private const string Visa = "4242424242424242";
    private const string Mastercard = "5555555555554444";

    [Fact]
    public async Task Enrolling_changing_the_card_and_charging_store_no_card_number_in_any_table_or_log()
    {
        var client = await AClientAsync();
        var tokenResult = await TokenizeAsync(client, "4242 4242 4242 4242");
        var token = (await tokenResult.ReadAsJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        await EnrolAsync(client, token);
        await PostBalanceAsync(client, 12000, "visit-1", 201);
        var (month, year) = FutureExpiry();
        var newToken = await TokenAsync(client, Mastercard);
        await TrackedScenario(s =>
        {
            AsClient(s, client);
            s.Put.Json(new
            {
                cardToken = newToken, cardholderName = "Robin Client", billingPostalCode = "97201",
                consentVersion = Consent, agreedToAuthorization = true,
            }).ToUrl("/api/autopay/card");
            s.StatusCodeShouldBeOk();
        });

        var autopay = await MyAutopayAsync(client);
        autopay.GetProperty("status").GetString().ShouldBe("Active");
        autopay.GetProperty("card").GetProperty("last4").GetString().ShouldBe("4444");
        autopay.GetProperty("card").GetProperty("expMonth").GetInt32().ShouldBe(month);
        autopay.GetProperty("card").GetProperty("expYear").GetInt32().ShouldBe(year);

        // The search finds what is stored: the Visa's single-use token is in the sandbox's vault.
        (await TablesContaining(token)).ShouldNotBeEmpty();

        Logs.Lines.ShouldNotBeEmpty("the log capture must see the host's log output");
        foreach (var number in new[] { Visa, Mastercard })
        {
            foreach (var form in Forms(number))
            {
                (await TablesContaining(form)).ShouldBeEmpty($"the card number {form} is stored");
                Logs.Lines.Where(line => line.Contains(form, StringComparison.Ordinal)).ShouldBeEmpty($"the card number {form} was logged");
            }
        }
    }

    internal static IEnumerable<string> Forms(string number) =>
    [
        number,
        string.Join(' ', number.Chunk(4).Select(c => new string(c))),
        string.Join('-', number.Chunk(4).Select(c => new string(c))),
    ];

    /// <summary>Every text, JSON and binary column of every table in every schema that contains the value.</summary>
    internal static async Task<List<string>> TablesContaining(string value, string? connectionString = null)
    {
        await using var connection = new NpgsqlConnection(connectionString ?? TestDatabase.ConnectionString);
        await connection.OpenAsync();
        var columns = new List<(string Schema, string Table, string Column, string Type)>();
        await using (var query = new NpgsqlCommand(
            """
            select c.table_schema, c.table_name, c.column_name, c.data_type
            from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
            where t.table_type = 'BASE TABLE'
              and c.table_schema not in ('pg_catalog', 'information_schema')
              and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')
            """, connection))
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }
        columns.Count.ShouldBeGreaterThan(10);

        var found = new List<string>();
        foreach (var (schema, table, column, type) in columns)
        {
            var expression = type == "bytea"
                ? $"position(convert_to(@value, 'UTF8') in \"{column}\") > 0"
                : $"position(@value in \"{column}\"::text) > 0";
            await using var search = new NpgsqlCommand($"select count(*) from \"{schema}\".\"{table}\" where {expression}", connection);
            search.Parameters.AddWithValue("value", value);
            if ((long)(await search.ExecuteScalarAsync())! > 0) found.Add($"{schema}.{table}.{column}");
        }
        return found;
    }
}
