namespace Portal.BuildingBlocks.Localization;

/// <summary>
/// The language a client reads the portal in (<see cref="PortalLanguages"/>), answered by the roster for the host,
/// which decides every signed-in client's page language from it; null for a client it does not know.
/// </summary>
public interface IClientLanguages
{
    ValueTask<string?> FindAsync(Guid clientId, CancellationToken cancellation);
}
