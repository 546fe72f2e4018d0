namespace Portal.BuildingBlocks.Time;

/// <summary>
/// The time zone each person chose for themselves (an IANA id), or null to follow their practice's: the accounts module
/// answers it for the host, which decides every page's zone from it.
/// </summary>
public interface IPersonalTimeZones
{
    ValueTask<string?> FindAsync(Guid accountId, CancellationToken cancellation);
}
