namespace Portal.Insurance;

/// <summary>
/// The texts this module shows clients, for <c>IStringLocalizer&lt;ClientText&gt;</c>: each key is the English wording
/// (ClientText.resx), each other language a file beside it (ClientText.es.resx). See docs/languages.md.
/// </summary>
internal sealed class ClientText;
