using Portal.Autopay.Gateway;

namespace Portal.Autopay.SandboxGateway;

// The sandbox processor's own storage, in its own schema (sandbox_gateway): a real processor keeps this on its side.
// It never holds a card number or security code either: only what the test behaviour needs.

/// <summary>A single-use card token, as the browser receives it from the tokenization endpoint.</summary>
public sealed class SandboxCardToken
{
    public string Id { get; set; } = string.Empty;

    /// <summary>The client whose session made the token: only they can save it.</summary>
    public Guid? ClientId { get; set; }
    public string Brand { get; set; } = string.Empty;
    public string Last4 { get; set; } = string.Empty;
    public int ExpMonth { get; set; }
    public int ExpYear { get; set; }
    public CardFunding Funding { get; set; }
    public GatewayDecline? VerifyDecline { get; set; }
    public GatewayDecline? ChargeDecline { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>A reusable customer token: a verified card saved for later charges.</summary>
public sealed class SandboxCustomer
{
    public string Id { get; set; } = string.Empty;
    public string Brand { get; set; } = string.Empty;
    public string Last4 { get; set; } = string.Empty;
    public int ExpMonth { get; set; }
    public int ExpYear { get; set; }
    public CardFunding Funding { get; set; }
    public GatewayDecline? ChargeDecline { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
}

/// <summary>One charge, stored under its idempotency key: the primary key makes a second charge with the key impossible.</summary>
public sealed class SandboxCharge
{
    public string Id { get; set; } = string.Empty;
    public string Reference { get; set; } = string.Empty;
    public string CustomerId { get; set; } = string.Empty;
    public long AmountCents { get; set; }
    public string Currency { get; set; } = "usd";
    public GatewayDecline? Decline { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One refund, stored under its idempotency key.</summary>
public sealed class SandboxRefund
{
    public string Id { get; set; } = string.Empty;
    public string Reference { get; set; } = string.Empty;
    public string ChargeReference { get; set; } = string.Empty;
    public long AmountCents { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal static class SandboxIds
{
    public static string New(string prefix) =>
        prefix + "_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
