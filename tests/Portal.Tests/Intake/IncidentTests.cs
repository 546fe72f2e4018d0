using System.Text.Json;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Intake;

/// <summary>
/// A step of an assignment that fails for good shows on that assignment and can be retried (#30 item 7). The failure is
/// injected in the real database: a trigger refuses the Invitations module's invitation for one client, so that module's
/// handler of the assignment's <see cref="TasksRequested"/> fails every retry and Wolverine dead-letters it.
/// </summary>
public sealed class IncidentTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    protected override bool HandlerErrorsFailPublish => false;

    [Fact]
    public async Task A_dead_lettered_step_shows_on_its_assignment_with_its_cause_and_a_retry_delivers_it_once_with_one_email()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Iris");
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Intake", [new StageSpec("Only", [Task("insurance", TaskKind.AddInsurance)])]));
        await PublishAsync(provider, workflowId);

        Guid assignmentId;
        TasksRequested batch;
        await RefuseInvitationsOfAsync(client.ClientId);
        try
        {
            var (tracked, ids) = await AssignAsync(provider, workflowId, client.ClientId);
            assignmentId = ids.ShouldHaveSingleItem();
            batch = tracked.Published<TasksRequested>().ShouldHaveSingleItem();
            await WaitForAsync(async () => (await IncidentsAsync(provider, assignmentId)).GetArrayLength() == 1, "the dead letter");
        }
        finally
        {
            await AllowInvitationsAsync();
        }

        Mail.To(client.Email).ShouldBeEmpty("the invitation failed");
        var incident = (await IncidentsAsync(provider, assignmentId)).EnumerateArray().ShouldHaveSingleItem();
        incident.GetProperty("messageType").GetString().ShouldBe(nameof(TasksRequested));
        incident.GetProperty("step").GetString().ShouldBe("Telling the client of requested tasks");
        incident.GetProperty("queue").GetString().ShouldNotBeNull().ShouldContain("invitations");
        incident.GetProperty("exceptionMessage").GetString().ShouldNotBeNull().ShouldContain("injected failure");
        incident.GetProperty("attempts").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        incident.GetProperty("failedAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        var incidentId = incident.GetProperty("id").GetGuid();

        // Someone of another practice does not see it, and cannot retry it.
        var stranger = await Kit.NewProviderAsync();
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(stranger));
            s.Get.Url($"/api/assignments/{assignmentId}/incidents");
            s.StatusCodeShouldBe(404);
        });
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(stranger));
            s.Post.Url($"/api/assignments/{assignmentId}/incidents/{incidentId}/retry");
            s.StatusCodeShouldBe(404);
        });

        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Post.Url($"/api/assignments/{assignmentId}/incidents/{incidentId}/retry");
            s.StatusCodeShouldBe(202);
        });
        await WaitForAsync(() => System.Threading.Tasks.Task.FromResult(Mail.To(client.Email).Count > 0), "the invitation email");
        await WaitForAsync(async () => (await IncidentsAsync(provider, assignmentId)).GetArrayLength() == 0, "the retried step to leave");
        Mail.To(client.Email).ShouldHaveSingleItem();

        // Delivered once more (as a replay after a crash would), the step sends nothing more; a second retry finds nothing.
        await Kit.PublishAsync(batch);
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Post.Url($"/api/assignments/{assignmentId}/incidents/{incidentId}/retry");
            s.StatusCodeShouldBe(404);
        });
        Mail.To(client.Email).ShouldHaveSingleItem();

        await using var session = OpenSession();
        var audit = (await session.Query<AuditEntry>().Where(a => a.Action == "intake.incident.retry").ToListAsync()).ShouldHaveSingleItem();
        audit.RecordId.ShouldBe(assignmentId.ToString());
        audit.ActorRole.ShouldBe("provider");
        audit.ActorId.ShouldNotBeNull();
        audit.Outcome.ShouldBe($"{nameof(TasksRequested)} {incidentId}");
    }

    [Fact]
    public async Task An_assignment_without_failures_has_no_incidents_and_support_may_look()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Intake", [new StageSpec("Only", [Task("insurance", TaskKind.AddInsurance)])]));
        await PublishAsync(provider, workflowId);
        var (_, ids) = await AssignAsync(provider, workflowId, client);

        (await IncidentsAsync(provider, ids[0])).GetArrayLength().ShouldBe(0);
        var support = await Host.NewSupportAsync();
        await Host.Scenario(s =>
        {
            s.As(support);
            s.Get.Url($"/api/assignments/{ids[0]}/incidents");
            s.StatusCodeShouldBeOk();
        });
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Post.Url($"/api/assignments/{ids[0]}/incidents/{Guid.NewGuid()}/retry");
            s.StatusCodeShouldBe(404);
        });
    }

    private async Task<JsonElement> IncidentsAsync(ProviderActor provider, Guid assignmentId)
    {
        var result = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Get.Url($"/api/assignments/{assignmentId}/incidents");
            s.StatusCodeShouldBeOk();
        });
        return await IntakeTestKit.ReadJsonAsync(result);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 90 s for {what}.");
            await System.Threading.Tasks.Task.Delay(250);
        }
    }

    private async Task RefuseInvitationsOfAsync(Guid clientId)
    {
        // The table exists before the trigger is put on it, whichever tests ran before.
        await Host.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await ExecuteAsync($"""
            create or replace function invitations.test_refuse_invitation() returns trigger language plpgsql as $$
            begin
              if new.data->>'ClientId' = '{clientId}' then raise exception 'injected failure for the incident test'; end if;
              return new;
            end $$;
            drop trigger if exists test_refuse_invitation on invitations.mt_doc_invitation;
            create trigger test_refuse_invitation before insert or update on invitations.mt_doc_invitation
              for each row execute function invitations.test_refuse_invitation();
            """);
    }

    private static async Task AllowInvitationsAsync()
    {
        await ExecuteAsync("""
            drop trigger if exists test_refuse_invitation on invitations.mt_doc_invitation;
            drop function if exists invitations.test_refuse_invitation();
            """);
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
