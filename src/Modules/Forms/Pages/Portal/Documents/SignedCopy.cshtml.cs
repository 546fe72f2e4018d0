using Portal.Forms.Pages.Shared;

namespace Portal.Forms.Pages.Portal.Documents;

/// <summary>The client's printable signed copy.</summary>
[Authorize(Policy = PortalPolicies.Client)]
public sealed class SignedCopyModel(IDocumentSession session, TimeProvider clock) : SignedCopyPage(session, clock);
