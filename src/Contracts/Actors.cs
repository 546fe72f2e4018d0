namespace Portal.Contracts;

/// <summary>Who caused a change: the client through the portal, their provider, support, or the system itself.</summary>
public enum ActorKind
{
    Client,
    Provider,
    Support,
    System,
}

/// <summary>
/// Who acted. A contact acting for a client (a parent for a child) is a <see cref="ActorKind.Client"/> actor whose
/// <see cref="DisplayName"/> names them for whom ("Jane Doe, parent of Sam Doe"), with their own name and relationship
/// beside it, so records and emails can name who acted for whom.
/// </summary>
public sealed record Actor(ActorKind Kind, Guid UserId, string DisplayName)
{
    /// <summary>The contact's own name, when a contact acted for the client; null when the client acted themselves.</summary>
    public string? ContactName { get; init; }

    /// <summary>The contact's relationship in words ("parent"), with <see cref="ContactName"/>.</summary>
    public string? Relationship { get; init; }
}
