using System.Net;
using System.Text.Json;
using Alba;
using Marten;
using Npgsql;
using Portal.BuildingBlocks.Auditing;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Host;

/// <summary>
/// The audit log: sign-ins (success, failure, lock-out), sign-outs and refused requests are recorded by the host
/// for every endpoint; entries say who, what, when and from where; the database refuses to change or delete one.
/// </summary>
public sealed class AuditLogTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const string Agent = "AuditTests/1.0 (X11)";

    [Fact]
    public async Task A_sign_in_a_failed_sign_in_a_lock_out_and_a_sign_out_are_each_recorded_with_who_when_and_from_where()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var userId = await UserIdOf(client);

        var at = Clock.GetUtcNow();
        var signIn = await Host.Scenario(s =>
        {
            s.Post.Json(new { email = client.Email, password = client.Password }).ToUrl("/api/account/sign-in");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.23"));
            s.WithRequestHeader("User-Agent", Agent);
            s.StatusCodeShouldBeOk();
        });
        var cookie = Actors.SessionCookie(signIn)!;

        // The fifth failure locks the account (429 with until when); the right password is refused while it lasts.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var address = IPAddress.Parse($"203.0.113.{attempt}");
            var status = attempt < 5 ? 401 : 429;
            await Host.Scenario(s =>
            {
                s.Post.Json(new { email = client.Email, password = "not-the-password-at-all" }).ToUrl("/api/account/sign-in");
                s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = address);
                s.StatusCodeShouldBe(status);
            });
        }
        await Host.Scenario(s =>
        {
            s.Post.Json(new { email = client.Email, password = client.Password }).ToUrl("/api/account/sign-in");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.99"));
            s.StatusCodeShouldBe(429);
        });

        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            s.WithRequestHeader("User-Agent", Agent);
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.23"));
            s.Post.Url("/api/account/sign-out");
            s.StatusCodeShouldBe(204);
        });

        var entries = await EntriesAsync(e => e.ClientId == client.ClientId && e.Action.StartsWith("account."));
        var success = entries.Where(e => e.Action == "account.sign-in" && e.Outcome == "success" && e.IpAddress == "198.51.100.23")
            .ShouldHaveSingleItem();
        success.ShouldSatisfyAllConditions(
            e => e.ActorId.ShouldBe(userId),
            e => e.ActorRole.ShouldBe("client"),
            e => e.RecordId.ShouldBe(userId.ToString()),
            e => e.UserAgent.ShouldBe(Agent),
            e => e.At.ShouldBe(at));
        entries.Count(e => e.Action == "account.sign-in" && e.Outcome == "failed").ShouldBe(4);
        entries.Count(e => e.Action == "account.sign-in" && e.Outcome == "failed-locked").ShouldBe(1);
        entries.Where(e => e.Action == "account.locked").ShouldHaveSingleItem().RecordId.ShouldBe(userId.ToString());
        entries.Where(e => e.Action == "account.sign-in" && e.Outcome == "refused-locked").ShouldHaveSingleItem().IpAddress.ShouldBe("203.0.113.99");
        var signOut = entries.Where(e => e.Action == "account.sign-out").ShouldHaveSingleItem();
        signOut.ShouldSatisfyAllConditions(
            e => e.ActorId.ShouldBe(userId),
            e => e.Outcome.ShouldBe("signed-out"),
            e => e.IpAddress.ShouldBe("198.51.100.23"),
            e => e.UserAgent.ShouldBe(Agent));
    }

    [Fact]
    public async Task Refused_requests_are_recorded_centrally_401_for_anonymous_403_for_the_wrong_role_404_for_another_practice_s_client()
    {
        var providerA = await Host.NewProviderAsync();
        var clientA = await Host.NewClientWithAccountAsync(providerA);
        var providerB = await Host.NewProviderAsync();
        var providerBUser = await UserIdOf(providerB);
        var clientAUser = await UserIdOf(clientA);

        await Host.Scenario(s =>
        {
            s.Get.Url("/api/insurance");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.44"));
            s.StatusCodeShouldBe(401);
        });
        await Host.Scenario(s =>
        {
            s.As(clientA);
            s.Get.Url("/api/support/audit");
            s.StatusCodeShouldBe(403);
        });
        await Host.Scenario(s =>
        {
            s.As(providerB);
            s.WithRequestHeader("User-Agent", Agent);
            s.Get.Url($"/api/console/clients/{clientA.ClientId}/insurance");
            s.StatusCodeShouldBe(404);
        });
        await Host.Scenario(s =>
        {
            s.As(providerB);
            s.Get.Url($"/api/clients/{clientA.ClientId}/assessments");
            s.StatusCodeShouldBe(404);
        });
        await Host.Scenario(s =>
        {
            s.Get.Url("/console/clients");
            s.StatusCodeShouldBe(302);
        });

        var denied = await EntriesAsync(e => e.Action == "access.denied");
        denied.ShouldContain(e => e.Outcome == "401" && e.RecordType == "GET /api/insurance"
                                  && e.ActorRole == "anonymous" && e.IpAddress == "192.0.2.44");
        denied.ShouldContain(e => e.Outcome == "403" && e.RecordType == "GET /api/support/audit" && e.ActorId == clientAUser);
        denied.ShouldContain(e => e.Outcome == "404" && e.RecordType == "GET /api/console/clients/{clientId}/insurance"
                                  && e.ClientId == clientA.ClientId && e.ActorId == providerBUser
                                  && e.ActorRole == "provider" && e.UserAgent == Agent);
        denied.ShouldContain(e => e.Outcome == "404" && e.RecordType == "GET /api/clients/{clientId}/assessments" && e.ClientId == clientA.ClientId);
        denied.ShouldContain(e => e.Outcome == "401" && e.RecordType == "GET /console/clients");
    }

    [Fact]
    public async Task The_database_refuses_to_update_or_delete_an_audit_entry()
    {
        var provider = await Host.NewProviderAsync();
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        var before = await CountAsync(connection);
        before.ShouldBeGreaterThan(0);

        var update = await Should.ThrowAsync<PostgresException>(async () =>
        {
            await using var command = new NpgsqlCommand(
                "update audit.mt_doc_auditentry set data = jsonb_set(data, '{Action}', '\"tampered\"')", connection);
            await command.ExecuteNonQueryAsync();
        });
        update.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        update.MessageText.ShouldContain("append-only");

        var delete = await Should.ThrowAsync<PostgresException>(async () =>
        {
            await using var command = new NpgsqlCommand("delete from audit.mt_doc_auditentry", connection);
            await command.ExecuteNonQueryAsync();
        });
        delete.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);

        // Through Marten as well: storing over an existing entry is an update and is refused.
        await using (var session = OpenSession())
        {
            var entry = await session.Query<AuditEntry>().FirstAsync();
            entry.Action = "tampered";
            session.Store(entry);
            await Should.ThrowAsync<Exception>(() => session.SaveChangesAsync());
        }

        (await CountAsync(connection)).ShouldBe(before);
        await using var session2 = OpenSession();
        (await session2.Query<AuditEntry>().CountAsync(e => e.Action == "tampered")).ShouldBe(0);
        provider.ShouldNotBeNull();
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("select count(*) from audit.mt_doc_auditentry", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<AuditEntry>> EntriesAsync(System.Linq.Expressions.Expression<Func<AuditEntry, bool>> where)
    {
        await using var session = OpenSession();
        return (await session.Query<AuditEntry>().Where(where).ToListAsync()).ToList();
    }

    private async Task<Guid> UserIdOf(ISignedIn actor)
    {
        var me = await Host.Scenario(s =>
        {
            s.As(actor);
            s.Get.Url("/api/account/me");
        });
        return (await me.ReadAsJsonAsync<JsonElement>()).GetProperty("userId").GetGuid();
    }
}
