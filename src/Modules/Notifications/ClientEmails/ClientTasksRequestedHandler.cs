using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ClientEmails;

/// <summary>
/// Tasks were asked of a client with an active portal account (Invitations decided; a client without one got the
/// invitation instead): one email per request batch, with the count, the provider and the practice, what kinds of
/// thing are asked in generic words, and a link to the portal's sign-in. No task titles: a provider's title can name a
/// health matter, and an assessment's name (PHQ-9, GAD-7) is health detail, so it is "a questionnaire" here.
/// The delivery id comes from the batch and the client, so a replayed batch sends nothing more.
/// </summary>
public sealed class ClientTasksRequestedHandler
{
    public static async Task<OutgoingMessages> Handle(ClientTasksRequested requested, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation)
    {
        var provider = await Recipients.ProviderAsync(session, requested.ProviderId, cancellation);
        var count = requested.Kinds.Count;
        var causedBy = DeterministicId.From(nameof(ClientTasksRequested), requested.BatchId, requested.ClientId);
        // The client when they have an account (Invitations decided), and the record's contacts who receive emails.
        return await new ClientEmail("tasks-requested", causedBy, requested.ClientId).ComposeForRecordByReaderAsync(session, clock,
            reader => new()
            {
                ["providerName"] = provider.Name,
                ["taskCount"] = count == 1 ? reader.Words("1 task") : reader.Words("{0} tasks", count),
                ["taskSummary"] = Summary(requested.Kinds, "your", reader.Language),
                ["portalLink"] = Links.Portal(configuration),
            }, requested.TellClient, cancellation,
            forContactsByReader: reader => new() { ["taskSummary"] = Summary(requested.Kinds, "their", reader.Language) });
    }

    /// <summary>"add your insurance details, answer 2 questionnaires and sign a document": kinds only, in a fixed order.</summary>
    internal static string Summary(IReadOnlyList<TaskKind> kinds, string whose = "your", string? language = null)
    {
        var parts = kinds.GroupBy(k => k).OrderBy(g => g.Key).Select(g => Phrase(g.Key, g.Count(), whose, language)).ToList();
        return parts.Count <= 1
            ? string.Concat(parts)
            : ClientText.Translate("{0} and {1}", language, string.Join(", ", parts[..^1]), parts[^1]);
    }

    internal static string Phrase(TaskKind kind, int n, string whose = "your", string? language = null)
    {
        var english = kind switch
        {
            TaskKind.AddInsurance => whose == "their" ? "add their insurance details" : "add your insurance details",
            TaskKind.EnrollInAutopay => "set up autopay",
            TaskKind.SignDocument => n == 1 ? "sign a document" : "sign {0} documents",
            TaskKind.CompleteIntakeForm => n == 1 ? "fill in a form" : "fill in {0} forms",
            TaskKind.CompleteAssessment => n == 1 ? "answer a questionnaire" : "answer {0} questionnaires",
            _ => n == 1 ? "complete a task" : "complete {0} tasks",
        };
        return ClientText.Translate(english, language, n);
    }
}
