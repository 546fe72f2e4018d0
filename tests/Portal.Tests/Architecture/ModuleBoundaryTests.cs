using System.Reflection;
using NetArchTest.Rules;
using Portal.Host;

namespace Portal.Tests.Architecture;

/// <summary>Modules talk only through messages in Contracts: no module may depend on another module's types.</summary>
public sealed class ModuleBoundaryTests
{
    public static TheoryData<string> ModuleNames()
    {
        var data = new TheoryData<string>();
        foreach (var module in PortalModules.All) data.Add(module.GetType().Assembly.GetName().Name!);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void A_module_depends_on_no_other_module(string moduleAssembly)
    {
        var others = PortalModules.All
            .Select(m => m.GetType().Assembly.GetName().Name!)
            .Where(name => name != moduleAssembly)
            .ToArray();
        var assembly = Assembly.Load(moduleAssembly);

        var referenced = assembly.GetReferencedAssemblies().Select(a => a.Name!).Intersect(others).ToList();
        referenced.ShouldBeEmpty($"{moduleAssembly} references other module assemblies");

        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(others).GetResult();
        (result.FailingTypeNames ?? []).ShouldBeEmpty($"{moduleAssembly} has types that use other modules' types");
    }

    [Fact]
    public void Contracts_and_building_blocks_depend_on_no_module()
    {
        var modules = PortalModules.All.Select(m => m.GetType().Assembly.GetName().Name!).ToArray();
        foreach (var shared in new[] { typeof(Portal.Contracts.Actor).Assembly, typeof(Portal.BuildingBlocks.Modules.IPortalModule).Assembly })
        {
            var result = Types.InAssembly(shared).ShouldNot().HaveDependencyOnAny(modules).GetResult();
            (result.FailingTypeNames ?? []).ShouldBeEmpty();
        }
    }

    [Fact]
    public void Every_module_project_references_only_contracts_and_building_blocks()
    {
        var root = Infrastructure.TestDatabase.RepositoryRoot;
        foreach (var project in Directory.GetFiles(Path.Combine(root, "src", "Modules"), "*.csproj", SearchOption.AllDirectories))
        {
            var references = System.Xml.Linq.XDocument.Load(project)
                .Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToList();
            references.ShouldAllBe(name => name == "Portal.Contracts" || name == "Portal.BuildingBlocks",
                $"{Path.GetFileName(project)} may reference only Portal.Contracts and Portal.BuildingBlocks");
        }
    }
}
