using Portal.Forms.Pages.Shared;

namespace Portal.Forms.Pages.Console.Signatures;

/// <summary>The provider's printable copy of a client's signature.</summary>
[Authorize(Policy = PortalPolicies.Staff)]
public sealed class SignedCopyModel(IDocumentSession session, TimeProvider clock) : SignedCopyPage(session, clock);
