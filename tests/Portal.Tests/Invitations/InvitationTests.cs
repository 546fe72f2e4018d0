using Alba;
using Npgsql;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Invitations;

public sealed class InvitationTests(PortalFixture fixture) : AccessTest(fixture)
{
    [Fact]
    public async Task A_task_for_an_eligible_client_without_an_account_sends_one_invitation_and_a_second_task_while_it_is_pending_sends_none()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);

        var first = await RequestTask(client);
        var invitation = Published<InvitationEmailRequested>(first).ShouldHaveSingleItem();
        invitation.Email.ShouldBe(client.Email);
        invitation.ExpiresAt.ShouldBe(Clock.GetUtcNow().AddDays(5));
        (await Mail.WaitForAsync()).ShouldContain(m => m.To.ToString().Contains(client.Email));

        var second = await RequestTask(client, "Sign the consent form");
        Published<InvitationEmailRequested>(second).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_ineligible_client_gets_no_invitation_and_the_provider_is_told_why()
    {
        var provider = await Host.NewProviderAsync(portalEnabled: false);
        var client = await Host.AddClientAsync(provider);

        var tracked = await RequestTask(client);
        Published<InvitationEmailRequested>(tracked).ShouldBeEmpty();

        var (sent, result) = await Post(provider, $"/api/console/clients/{client.ClientId}/invitation", null, 409);
        Published<InvitationEmailRequested>(sent).ShouldBeEmpty();
        (await result.ReadAsTextAsync()).ShouldContain("not eligible");

        var access = await Host.GetAsJson<AccessBody>($"/api/console/clients/{client.ClientId}/access", provider);
        access.Status.ShouldBe("NotEligible");
    }

    [Fact]
    public async Task A_per_client_override_opens_the_portal_for_one_client_of_a_provider_who_is_off()
    {
        var provider = await Host.NewProviderAsync(portalEnabled: false);
        var client = await Host.AddClientAsync(provider);
        await TrackedScenario(s =>
        {
            s.As(provider.Support);
            s.Put.Json(new { @override = true }).ToUrl($"/api/support/clients/{client.ClientId}/eligibility");
            s.StatusCodeShouldBeOk();
        });

        Published<InvitationEmailRequested>(await RequestTask(client)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task The_activation_link_works_at_4_days_23_hours_and_is_refused_at_5_days_and_1_second()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var token = await Host.SendInvitationAsync(provider, client.ClientId);

        Clock.Advance(TimeSpan.FromDays(4) + TimeSpan.FromHours(23));
        await CheckLink(token, 200);

        Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await CheckLink(token, 410);
        provider = await Host.SignInAgainAsync(provider);
        await Host.Scenario(s =>
        {
            s.Post.Json(new { token, dateOfBirth = client.DateOfBirth, password = Actors.DefaultPassword }).ToUrl("/api/account/activate");
            s.StatusCodeShouldBe(410);
        });
        var access = await Host.GetAsJson<AccessBody>($"/api/console/clients/{client.ClientId}/access", provider);
        access.Status.ShouldBe("InvitationExpired");
    }

    [Fact]
    public async Task An_expired_link_lets_the_client_ask_for_a_fresh_one_sent_to_the_email_on_file()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var token = await Host.SendInvitationAsync(provider, client.ClientId);
        Clock.Advance(TimeSpan.FromDays(6));

        var (tracked, _) = await Post(null, "/api/account/activation/renew", new { token }, 202);
        var fresh = Published<InvitationEmailRequested>(tracked).ShouldHaveSingleItem();
        fresh.Email.ShouldBe(client.Email);
        await CheckLink(Host.TokenFrom(fresh.ActivationLink), 200);
    }

    [Fact]
    public async Task A_used_link_no_longer_works_and_asking_for_a_fresh_one_sends_nothing()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var token = await Host.SendInvitationAsync(provider, client.ClientId);
        await Post(null, "/api/account/activate", new { token, dateOfBirth = client.DateOfBirth, password = Actors.DefaultPassword }, 200);

        await CheckLink(token, 410);
        await Host.Scenario(s =>
        {
            s.Post.Json(new { token, dateOfBirth = client.DateOfBirth, password = "Another-Long-Password-9" }).ToUrl("/api/account/activate");
            s.StatusCodeShouldBe(410);
        });
        var (tracked, _) = await Post(null, "/api/account/activation/renew", new { token }, 202);
        Published<InvitationEmailRequested>(tracked).ShouldBeEmpty();
        (await Host.GetAsJson<AccessBody>($"/api/console/clients/{client.ClientId}/access", provider)).Status.ShouldBe("Active");
    }

    [Fact]
    public async Task A_resend_replaces_the_pending_link()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var first = await Host.SendInvitationAsync(provider, client.ClientId);
        var second = await Host.SendInvitationAsync(provider, client.ClientId);

        await CheckLink(first, 410);
        await CheckLink(second, 200);
        var access = await Host.GetAsJson<AccessBody>($"/api/console/clients/{client.ClientId}/access", provider);
        access.Status.ShouldBe("Invited");
        access.InvitationExpiresAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task Activation_needs_the_date_of_birth_on_file_and_a_long_uncommon_password()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var token = await Host.SendInvitationAsync(provider, client.ClientId);

        await Host.Scenario(s =>
        {
            s.Post.Json(new { token, dateOfBirth = client.DateOfBirth.AddDays(1), password = Actors.DefaultPassword }).ToUrl("/api/account/activate");
            s.StatusCodeShouldBe(400);
        });
        var shortPassword = await Host.Scenario(s =>
        {
            s.Post.Json(new { token, dateOfBirth = client.DateOfBirth, password = "short-pass" }).ToUrl("/api/account/activate");
            s.StatusCodeShouldBe(400);
        });
        (await shortPassword.ReadAsTextAsync()).ShouldContain("12 characters");
        var common = await Host.Scenario(s =>
        {
            s.Post.Json(new { token, dateOfBirth = client.DateOfBirth, password = "passwordpassword" }).ToUrl("/api/account/activate");
            s.StatusCodeShouldBe(400);
        });
        (await common.ReadAsTextAsync()).ShouldContain("too common");
        await CheckLink(token, 200);
    }

    [Fact]
    public async Task The_database_holds_no_raw_token()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var invitationToken = await Host.SendInvitationAsync(provider, client.ClientId);
        var account = await Host.NewClientWithAccountAsync(provider);
        var (tracked, _) = await Post(null, "/api/account/password-reset", new { email = account.Email }, 202);
        var resetToken = Host.TokenFrom(Published<PasswordResetEmailRequested>(tracked).Single().ResetLink);

        var everything = await DumpSchemas("invitations", "practice", "wolverine", "audit");
        everything.ShouldNotContain(invitationToken);
        everything.ShouldNotContain(resetToken);
        everything.ShouldContain(
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(invitationToken))));
    }

    private static async Task<string> DumpSchemas(params string[] schemas)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select table_schema || '.' || table_name from information_schema.tables " +
            "where table_schema = any(@s) and table_type = 'BASE TABLE'", connection))
        {
            list.Parameters.AddWithValue("s", schemas);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var text = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var dump = new NpgsqlCommand($"select t::text from {table} t", connection);
            await using var reader = await dump.ExecuteReaderAsync();
            while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
        }
        tables.ShouldContain("invitations.mt_doc_invitation");
        return text.ToString();
    }
}

public sealed record AccessBody(
    Guid ClientId, string Status, DateTimeOffset? InvitationSentAt, DateTimeOffset? InvitationExpiresAt, DateTimeOffset? LockedUntil);
