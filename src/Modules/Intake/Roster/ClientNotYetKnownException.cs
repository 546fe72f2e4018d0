using Portal.BuildingBlocks.Messaging;

namespace Portal.Intake.Roster;

/// <summary>
/// A message about a client whose roster facts have not reached Intake yet (the roster's message is still in the
/// queue): the message is retried shortly, then held until the copy arrives (<see cref="AwaitingCopy"/>), never lost.
/// </summary>
internal sealed class ClientNotYetKnownException(Guid clientId) : CopyNotYetArrivedException(typeof(IntakeClient), clientId, "client");

/// <summary>A message held until Intake's copy of its client arrives.</summary>
public sealed class IntakeMessageAwaitingRoster : MessageAwaitingCopy;
