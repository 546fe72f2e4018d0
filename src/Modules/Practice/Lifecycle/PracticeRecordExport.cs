using Portal.BuildingBlocks.Records;
using Portal.Practice.Roster;

namespace Portal.Practice.Lifecycle;

/// <summary>The roster's part of a client's export: who they are, whose client, eligibility and the discharge history.</summary>
internal sealed class PracticeRecordExport(IQuerySession session) : IClientRecordExport
{
    public string Module => "practice";

    public async Task WriteAsync(Guid clientId, ClientRecordArchive archive, CancellationToken cancellation)
    {
        var client = await session.LoadAsync<RosterClient>(clientId, cancellation);
        if (client is null) return;
        var primary = await session.LoadAsync<RosterProvider>(client.ProviderId, cancellation);
        await archive.AddJsonAsync($"{Module}.json", new
        {
            client.Id,
            client.FirstName,
            client.LastName,
            client.Email,
            client.DateOfBirth,
            client.PracticeId,
            client.PracticeName,
            PrimaryClinician = new { client.ProviderId, Name = primary?.Name },
            client.CareTeam,
            client.CreatedAt,
            client.Eligible,
            client.EligibilityOverride,
            client.HasActiveAccount,
            client.Discharged,
            client.LastDischarge,
        }, cancellation);
    }
}
