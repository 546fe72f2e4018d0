namespace Portal.Forms.Pages.Shared;

/// <summary>
/// The console's withdraw button for a document or form (<c>_FormsWithdraw.cshtml</c>): offered while a version is
/// published and not withdrawn; once withdrawn, the page says so and how to offer it again.
/// </summary>
internal sealed record WithdrawView(string Noun, bool Published, DateTimeOffset? WithdrawnAt);
