using System.Reflection;

namespace Portal.Host.Infrastructure;

/// <summary>
/// View components that modules contribute to pages the host composes (a client's profile, the support health
/// page), found by their base type when the host starts.
/// </summary>
public sealed class ContributedSections(IEnumerable<Assembly> moduleAssemblies)
{
    private readonly IReadOnlyList<Type> _types = moduleAssemblies
        .SelectMany(a => a.GetTypes())
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(Microsoft.AspNetCore.Mvc.ViewComponent)))
        .ToList();

    public IReadOnlyList<Type> InOrder<TSection>(IServiceProvider services, Func<TSection, int> order) where TSection : class => _types
        .Where(t => t.IsAssignableTo(typeof(TSection)))
        .Select(type => (Type: type, Order: order((TSection)ActivatorUtilities.CreateInstance(services, type))))
        .OrderBy(s => s.Order)
        .Select(s => s.Type)
        .ToList();
}
