using Portal.Contracts;
using Portal.BuildingBlocks.Concurrency;
using Portal.Forms.Roster;

namespace Portal.Forms.Safety;

/// <summary>The provider's follow-up: what they did about the safety answer, in a few sentences.</summary>
public sealed record AcknowledgeSafetyFlagRequest(string? Note);

internal sealed class AcknowledgeSafetyFlagValidator : AbstractValidator<AcknowledgeSafetyFlagRequest>
{
    public const int MaxNote = 500;

    public AcknowledgeSafetyFlagValidator()
    {
        RuleFor(r => r.Note).NotEmpty().WithMessage("Write a short follow-up note: what you did or will do.")
            .MaximumLength(MaxNote).WithMessage($"The note must be at most {MaxNote} characters.");
    }
}

/// <summary>
/// <c>POST /api/console/safety-flags/{flagId}/acknowledgement</c>: the client's own provider acknowledges an open
/// flag with a note. The flag leaves the console's "Needs attention" panel and the client list's badge, its escalation
/// no longer fires, and the note shows on the client's profile with who and when. Audited. Another provider is told
/// the flag does not exist (404); a flag already acknowledged answers 409 naming who did it.
/// </summary>
public static class AcknowledgeSafetyFlagEndpoint
{
    [WolverinePost("/api/console/safety-flags/{flagId}/acknowledgement"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid flagId, AcknowledgeSafetyFlagRequest request,
        HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await AcknowledgeAsync(flagId, request, new SliceContext(http, session, clock));
        return (outcome.ToResult(http), messages);
    }

    /// <summary>Only the client's own provider acts on (or sees the page of) a flag; anyone else is told it does not exist.</summary>
    internal static bool IsOwnProvider(CurrentUser? user, FormsClient? card) =>
        card is not null && user is { IsClinical: true } && card.IsVisibleTo(user);

    internal static async Task<(Outcome<SafetyFlagView>, OutgoingMessages)> AcknowledgeAsync(
        Guid flagId, AcknowledgeSafetyFlagRequest request, SliceContext context)
    {
        var (session, cancellation) = (context.Session, context.Cancellation);
        // Under the flag's edit lock: an escalation firing now either sees the acknowledgement or commits first.
        var flag = await EditLock.LoadLockedAsync<SafetyFlag>(session, flagId, cancellation);
        var card = flag is null ? null : await session.LoadAsync<FormsClient>(flag.ClientId, cancellation);
        var user = context.User;
        if (flag is null || !IsOwnProvider(user, card))
        {
            context.Audit("forms.safety-flag.denied", nameof(SafetyFlag), flagId.ToString(), outcome: "denied");
            await session.SaveChangesAsync(cancellation);
            return (Refusal.NotFound("safety flag"), []);
        }
        if (!flag.IsOpen)
            return (Refusal.Conflict("This safety flag was already acknowledged.",
                $"{flag.AcknowledgedByName} acknowledged it on {PortalTime.DateTime(flag.AcknowledgedAt!.Value, context.Http.ReaderZone())}."), []);

        var now = context.Clock.GetUtcNow();
        flag.AcknowledgedAt = now;
        flag.AcknowledgedBy = user!.UserId;
        flag.AcknowledgedByName = user.DisplayName;
        flag.Note = request.Note!.Trim();
        session.Store(flag);
        context.Audit("forms.safety-flag.acknowledge", nameof(SafetyFlag), flag.Id.ToString(), flag.ClientId);
        return (SafetyFlagView.Of(flag, card!.DisplayName),
            [new SafetyFlagAcknowledged(Guid.CreateVersion7(), flag.Id, flag.ClientId, flag.ProviderId, now)]);
    }
}
