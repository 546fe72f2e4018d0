namespace Portal.Contracts;

/// <summary>
/// Support opened a client's health information under a break-glass grant: the client's provider is told who and why,
/// by email and in their console notifications. Carries no health detail; the reason is the one support typed.
/// </summary>
public sealed record HealthAccessOpened(
    Guid GrantId, Guid ClientId, Guid ProviderId, Actor OpenedBy, string Reason, DateTimeOffset OpenedAt, DateTimeOffset ExpiresAt);
