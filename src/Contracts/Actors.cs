namespace Portal.Contracts;

/// <summary>Who caused a change: the client through the portal, their provider, support, or the system itself.</summary>
public enum ActorKind
{
    Client,
    Provider,
    Support,
    System,
}

public sealed record Actor(ActorKind Kind, Guid UserId, string DisplayName);
