using Marten;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;

namespace Portal.BuildingBlocks.Auditing;

/// <summary>
/// One append-only line of the audit log: who did what to which record, when and from where. Written in the same
/// transaction as the change it describes (or beside the read it records). Never holds health answers, card data,
/// credentials or tokens: only identifiers and an action name.
/// </summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string Action { get; set; } = string.Empty;
    public string RecordType { get; set; } = string.Empty;
    public string? RecordId { get; set; }
    public Guid? ClientId { get; set; }
    public string ActorRole { get; set; } = "anonymous";
    public Guid? ActorId { get; set; }
    /// <summary>
    /// When the actor is a contact (a parent, a partner): the client record they acted for, and how they stand to that
    /// client ("parent"). The login is <see cref="ActorId"/>; both together say who acted for whom.
    /// </summary>
    public Guid? ActingForClientId { get; set; }
    public string? ActorRelationship { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public string? Outcome { get; set; }
}

public static class Audit
{
    /// <summary>The actor role of an API client's entries (its id is the actor id).</summary>
    public const string ApiClientRole = "api-client";

    /// <summary>
    /// Adds an audit entry to the session; it is stored when the session commits. The actor is the signed-in caller,
    /// or <paramref name="actor"/> when the request is the one that makes them known (a sign-in).
    /// </summary>
    public static void Record(IDocumentSession session, HttpContext? http, TimeProvider clock, string action,
        string recordType, string? recordId, Guid? clientId = null, string? outcome = null, CurrentUser? actor = null)
    {
        var user = actor ?? (http is null ? null : CurrentUser.From(http.User));
        session.Insert(new AuditEntry
        {
            Id = Guid.CreateVersion7(),
            At = clock.GetUtcNow(),
            Action = action,
            RecordType = recordType,
            RecordId = recordId,
            ClientId = clientId,
            // Another system of the practice acting with a bearer token is told apart from the people of the practice.
            ActorRole = user is { IsApiClient: true } ? ApiClientRole : user?.Role ?? "anonymous",
            ActorId = user?.UserId,
            ActingForClientId = user is { IsContact: true } ? user.ClientId : null,
            ActorRelationship = user?.Relationship,
            IpAddress = http?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = http?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 300)] : null,
            Outcome = outcome,
        });
    }
}
