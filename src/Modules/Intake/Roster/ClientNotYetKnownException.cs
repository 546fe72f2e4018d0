namespace Portal.Intake.Roster;

/// <summary>
/// A message about a client whose roster facts have not reached Intake yet (the roster's message is still in the
/// queue): the message is retried later rather than lost (see <see cref="IntakeModule.ConfigureWolverine"/>).
/// </summary>
internal sealed class ClientNotYetKnownException(Guid clientId) : Exception($"No roster facts yet for client {clientId}.");
