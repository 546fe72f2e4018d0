using System.Reflection;
using Portal.BuildingBlocks.Web;

namespace Portal.Host.Infrastructure;

/// <summary>The client profile sections that the modules contribute, found by type when the host starts.</summary>
public sealed class ClientProfileSections(IEnumerable<Assembly> moduleAssemblies)
{
    private readonly IReadOnlyList<Type> _types = moduleAssemblies
        .SelectMany(a => a.GetTypes())
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(ClientProfileSection)))
        .ToList();

    public IReadOnlyList<Type> InOrder(IServiceProvider services) => _types
        .Select(type => (Type: type, Section: (ClientProfileSection)ActivatorUtilities.CreateInstance(services, type)))
        .OrderBy(s => s.Section.Order)
        .Select(s => s.Type)
        .ToList();
}
