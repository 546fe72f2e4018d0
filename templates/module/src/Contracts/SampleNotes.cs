namespace Portal.Contracts;

/// <summary>
/// A provider added a note about a client in the Sample module. Other modules learn of it from this message alone;
/// the note's text stays in the Sample module.
/// </summary>
public sealed record SampleNoteAdded(Guid NoteId, Guid ClientId, Guid ProviderId, DateTimeOffset At);
