namespace Portal.Forms.IntakeForms;

/// <summary>A client's unsent answers to one version of a form, saved as they type. Removed when they submit.</summary>
public sealed class FormDraft
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public Guid FormId { get; set; }
    public int FormVersion { get; set; }
    public Dictionary<string, List<string>> Answers { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The login that saved it last: a contact without "see results" gets back only their own draft.</summary>
    public Guid? SavedBy { get; set; }
}

/// <summary>
/// A submitted form: the answers kept after checking them against the exact version filled (hidden fields dropped).
/// Inserted once and never changed; a client who fills the form again makes another response.
/// </summary>
public sealed class FormResponse
{
    public Guid Id { get; set; }
    public Guid FormId { get; set; }
    public int FormVersion { get; set; }
    public string FormTitle { get; set; } = string.Empty;
    public Guid ClientId { get; set; }
    public Guid ProviderId { get; set; }
    public Guid PracticeId { get; set; }
    public Dictionary<string, List<string>> Answers { get; set; } = [];
    public Guid SubmittedByUserId { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>The language the form was shown in when answered: "en", or a practice translation's ("es").</summary>
    public string Language { get; set; } = "en";
}
