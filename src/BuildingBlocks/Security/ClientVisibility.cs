namespace Portal.BuildingBlocks.Security;

/// <summary>
/// Whether a client exists and the signed-in person may see them, asked of the roster (the module that owns
/// clients). The host's composed pages ask it before rendering, so a client nobody may see answers 404 instead of a
/// page whose sections each render nothing. Implemented by the roster module.
/// </summary>
public interface IClientVisibility
{
    Task<bool> IsVisibleAsync(Guid clientId, CurrentUser user, CancellationToken cancellationToken);

    /// <summary>What heads the client's profile (their name, date of birth, whether discharged); null when not visible.</summary>
    Task<VisibleClient?> FindVisibleAsync(Guid clientId, CurrentUser user, CancellationToken cancellationToken);
}

/// <summary>The roster's facts that head a client's profile.</summary>
public sealed record VisibleClient(Guid ClientId, string Name, DateOnly DateOfBirth, bool Discharged)
{
    /// <summary>How the client pays; null until the practice says.</summary>
    public Portal.Contracts.ClientBilling? Billing { get; init; }
}
