using Alba;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Timers;
using Wolverine;
using Wolverine.Persistence.Durability;
using Wolverine.Tracking;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

public sealed class RestartTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task A_second_host_on_the_same_database_carries_a_running_assignment_on_with_its_durable_timers()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Intake",
        [
            new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance, remindEveryDays: 2, maxReminders: 1)]),
            new StageSpec("Billing", [Task("autopay", TaskKind.EnrollInAutopay)]),
        ]));
        await PublishAsync(provider, workflowId);
        var scheduledBefore = await ScheduledRemindersAsync(Host);
        var (assigned, ids) = await AssignAsync(provider, workflowId, client);
        var assignmentId = ids[0];
        var insuranceTask = assigned.Published<TaskRequested>().Single().TaskId;

        // The reminder is a durable scheduled message in the database, not a timer in this process's memory.
        (await ScheduledRemindersAsync(Host)).ShouldBe(scheduledBefore + 1);

        await using var second = await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        });
        (await ScheduledRemindersAsync(second)).ShouldBe(scheduledBefore + 1);

        Clock.Advance(TimeSpan.FromDays(2));
        var reminded = await second.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).IncludeExternalTransports()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(c =>
                c.InvokeAsync(new SendTaskReminder(assignmentId, insuranceTask, 1, Clock.GetUtcNow()))));
        reminded.Published<TaskReminderDue>().ShouldHaveSingleItem().TaskId.ShouldBe(insuranceTask);

        var next = await second.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).IncludeExternalTransports()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(c => c.PublishAsync(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId,
                InsuranceChange.Added, PlanRank.Primary, new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow())).AsTask()));
        next.Published<TaskRequested>().ShouldHaveSingleItem().Kind.ShouldBe(TaskKind.EnrollInAutopay);

        Names(await Kit.EventsAsync(assignmentId)).ShouldBe(
        [
            nameof(AssignmentStarted), nameof(AssignmentStageStarted), nameof(AssignmentTaskRequested),
            nameof(AssignmentReminderSent),
            nameof(AssignmentTaskCompleted), nameof(AssignmentStageStarted), nameof(AssignmentTaskRequested),
        ]);
    }

    private static async Task<int> ScheduledRemindersAsync(IAlbaHost host)
    {
        var store = host.Services.GetRequiredService<IMessageStore>();
        var incoming = await store.Admin.AllIncomingAsync();
        return incoming.Count(e => e.Status == EnvelopeStatus.Scheduled && (e.MessageType?.Contains(nameof(SendTaskReminder)) ?? false));
    }
}
