using JasperFx;
using Portal.BuildingBlocks.Web;
using Portal.Contracts;
using Portal.Intake.Engine;
using Wolverine.Attributes;

namespace Portal.Intake.Completion;

// The other modules' facts that complete tasks. Insurance removed and autopay cancelled or suspended complete nothing.

public static class InsuranceChangedHandler
{
    [RetryNow(typeof(ConcurrencyException), 50, 100, 250, 500)]
    public static Task Handle(
        InsuranceChanged message, IDocumentSession session, IMessageBus bus, TimeProvider clock, IPracticeLooks looks,
        CancellationToken cancellation) =>
        message.Change is InsuranceChange.Added or InsuranceChange.Updated
            ? CompleteMatchingTasks.ApplyAsync(message.ClientId,
                new ClientFact
                {
                    Kind = TaskKind.AddInsurance, Source = $"insurance.{message.Change.ToString().ToLowerInvariant()}",
                    EventId = message.EventId, At = message.At
                },
                session, bus, clock, looks, cancellation)
            : Task.CompletedTask;
}

public static class AutopayChangedHandler
{
    [RetryNow(typeof(ConcurrencyException), 50, 100, 250, 500)]
    public static Task Handle(
        AutopayChanged message, IDocumentSession session, IMessageBus bus, TimeProvider clock, IPracticeLooks looks,
        CancellationToken cancellation) =>
        message.Change is AutopayChange.Enrolled or AutopayChange.CardUpdated
            ? CompleteMatchingTasks.ApplyAsync(message.ClientId,
                new ClientFact
                {
                    Kind = TaskKind.EnrollInAutopay,
                    Source = message.Change == AutopayChange.Enrolled ? "autopay.enrolled" : "autopay.card-updated",
                    EventId = message.EventId, At = message.At
                },
                session, bus, clock, looks, cancellation)
            : Task.CompletedTask;
}

public static class ConsentFormSignedHandler
{
    [RetryNow(typeof(ConcurrencyException), 50, 100, 250, 500)]
    public static Task Handle(
        ConsentFormSigned message, IDocumentSession session, IMessageBus bus, TimeProvider clock, IPracticeLooks looks,
        CancellationToken cancellation) =>
        CompleteMatchingTasks.ApplyAsync(message.ClientId,
            new ClientFact
            {
                Kind = TaskKind.SignDocument, SubjectId = message.DocumentId.ToString(), Source = "document.signed",
                EventId = message.EventId, At = message.At
            },
            session, bus, clock, looks, cancellation);
}

public static class IntakeFormCompletedHandler
{
    [RetryNow(typeof(ConcurrencyException), 50, 100, 250, 500)]
    public static Task Handle(
        IntakeFormCompleted message, IDocumentSession session, IMessageBus bus, TimeProvider clock, IPracticeLooks looks,
        CancellationToken cancellation) =>
        CompleteMatchingTasks.ApplyAsync(message.ClientId,
            new ClientFact
            {
                Kind = TaskKind.CompleteIntakeForm, SubjectId = message.FormId.ToString(), Source = "form.completed",
                EventId = message.EventId, At = message.At
            },
            session, bus, clock, looks, cancellation);
}

public static class IntakeFormAnswersSharedHandler
{
    [RetryNow(typeof(ConcurrencyException), 50, 100, 250, 500)]
    public static Task Handle(
        IntakeFormAnswersShared message, IDocumentSession session, IMessageBus bus, TimeProvider clock, IPracticeLooks looks,
        CancellationToken cancellation) =>
        CompleteMatchingTasks.ApplyAsync(message.ClientId,
            new ClientFact
            {
                Kind = TaskKind.CompleteIntakeForm, SubjectId = message.FormId.ToString(), Source = "form.answers",
                EventId = message.EventId, At = message.At, Answers = message.Answers
            },
            session, bus, clock, looks, cancellation);
}

public static class AssessmentCompletedHandler
{
    [RetryNow(typeof(ConcurrencyException), 50, 100, 250, 500)]
    public static Task Handle(
        AssessmentCompleted message, IDocumentSession session, IMessageBus bus, TimeProvider clock, IPracticeLooks looks,
        CancellationToken cancellation) =>
        CompleteMatchingTasks.ApplyAsync(message.ClientId,
            new ClientFact
            {
                Kind = TaskKind.CompleteAssessment, SubjectId = message.Instrument.ToLowerInvariant(), Source = "assessment.completed",
                EventId = message.EventId, At = message.At, Score = message.Score, Severity = message.Severity,
            },
            session, bus, clock, looks, cancellation);
}
