using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Portal.Invitations.Accounts;

/// <summary>Random one-time tokens: 256 bits, URL-safe; only their SHA-256 hash is ever stored.</summary>
internal static class SecretTokens
{
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The rule for a token a link carries back: present, and no longer than any token this issues.</summary>
    public static IRuleBuilderOptions<T, string> LinkToken<T>(this IRuleBuilder<T, string> rule) => rule.NotEmpty().MaximumLength(100);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Links that carry a secret travel to Notifications protected with the shared Data Protection keys.</summary>
internal static class SecretLinks
{
    public const string Purpose = "Portal.SecretLink";

    public static SecretLink Create(IDataProtectionProvider protection, IConfiguration configuration, string pathAndQuery)
    {
        var baseUrl = (configuration["Portal:PublicUrl"] ?? "http://localhost:5000").TrimEnd('/');
        return new SecretLink(protection.CreateProtector(Purpose).Protect(baseUrl + pathAndQuery));
    }
}

/// <summary>Password hashing (ASP.NET Core Identity's PBKDF2 hasher) and the password rules.</summary>
internal static class Passwords
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 128;

    private static readonly PasswordHasher<Account> Hasher = new();

    // A hash of a random password: verifying against it costs the same as verifying a real one, so an unknown email
    // takes as long as a known one.
    private static readonly string DecoyHash = Hasher.HashPassword(new Account(), SecretTokens.New());

    public static string Hash(Account account, string password) => Hasher.HashPassword(account, password);

    /// <summary>True when the password matches; always does the full hashing work, even without an account.</summary>
    public static bool Verify(Account? account, string password)
    {
        var hash = account?.PasswordHash ?? DecoyHash;
        var result = Hasher.VerifyHashedPassword(account ?? new Account(), hash, password);
        return account?.PasswordHash is not null && result != PasswordVerificationResult.Failed;
    }

    /// <summary>The rule for a new password (the email check needs the account, so the slice repeats it with the email).</summary>
    public static IRuleBuilderOptionsConditions<T, string> AcceptablePassword<T>(this IRuleBuilder<T, string> rule) =>
        rule.Custom((password, context) =>
        {
            if (Problem(password) is { } problem) context.AddFailure(problem);
        });

    /// <summary>A refused new password, answered as the validation problem of the <c>password</c> field.</summary>
    public static Refusal Refused(string problem) =>
        Refusal.Invalid(new Dictionary<string, string[]> { ["password"] = [problem] }, "One or more validation errors occurred.");

    /// <summary>Why a new password is refused, or null when it is acceptable.</summary>
    public static string? Problem(string? password, string? email = null)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinimumLength)
            return $"Use at least {MinimumLength} characters.";
        if (password.Length > MaximumLength) return $"Use at most {MaximumLength} characters.";
        var lowered = password.ToLowerInvariant();
        if (CommonPasswords.Contains(lowered) || password.Distinct().Count() < 4)
            return "This password is too common. Choose another.";
        if (email is not null && email.Split('@')[0] is { Length: >= 4 } local && lowered.Contains(local.ToLowerInvariant()))
            return "Don't use your email address in your password.";
        return null;
    }

    // Frequently breached passwords of 12 or more characters (shorter ones fail the length rule anyway).
    private static readonly HashSet<string> CommonPasswords = new(StringComparer.Ordinal)
    {
        "123456789012", "1234567890123", "12345678901234", "123456789123", "1234567891011", "123123123123",
        "111111111111", "000000000000", "112233445566", "123456123456", "121212121212", "987654321098",
        "passwordpassword", "password1234", "password12345", "password123456", "password123!", "passw0rd1234",
        "qwertyuiopas", "qwertyuiop123", "qwerty123456", "qwertyqwerty", "1qaz2wsx3edc", "1q2w3e4r5t6y",
        "q1w2e3r4t5y6", "asdfghjkl123", "zxcvbnm12345", "abcdefghijkl", "abc123abc123", "abcd1234abcd",
        "iloveyou1234", "iloveyouiloveyou", "letmein12345", "welcome12345", "welcome123456", "welcometotheportal",
        "sunshine1234", "princess1234", "football1234", "baseball1234", "superman1234", "trustno1trustno1",
        "monkey123456", "dragon123456", "master123456", "changeme1234", "changemenow!", "administrator",
        "administrator1", "correcthorsebatterystaple", "thequickbrownfox", "hello1234567", "helloworld123",
        "mypassword123", "mypassword1234", "newpassword123", "therapy12345", "therapist123", "portal123456",
        "portalpassword", "secret123456", "secretpassword", "letmeinletmein", "starwars1234", "pokemon12345",
        "computer1234", "internet1234", "whatever1234", "jesuschrist1", "michael12345", "jennifer1234",
    };
}
