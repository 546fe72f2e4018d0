using System.Linq.Expressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Querying;
using Portal.Caseload.Clients;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Foundation;

/// <summary>
/// Hot queries hand Marten the values they capture as constants (no lambda compiled per query): the query must still
/// find exactly the documents it found before.
/// </summary>
public sealed class CapturedValuesTests(PortalFixture fixture) : PortalTest(fixture)
{
    private sealed record Owner(Guid ProviderId);

    [Fact]
    public async Task A_query_with_its_captured_values_inlined_finds_the_same_documents()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        var owner = new Owner(Guid.NewGuid());
        var name = "Ana Client";
        await using (var session = store.LightweightSession())
        {
            session.Store(new CaseloadClient { Id = Guid.NewGuid(), ProviderId = owner.ProviderId, FullName = name });
            session.Store(new CaseloadClient { Id = Guid.NewGuid(), ProviderId = owner.ProviderId, FullName = "Ben Client" });
            session.Store(new CaseloadClient { Id = Guid.NewGuid(), ProviderId = Guid.NewGuid(), FullName = name });
            await session.SaveChangesAsync();
        }

        Expression<Func<CaseloadClient, bool>> captured = c => c.ProviderId == owner.ProviderId && c.FullName == name;
        var inlined = CapturedValues.Inline(captured);

        new ClosureReads().Count(inlined).ShouldBe(0);
        new ClosureReads().Count(captured).ShouldBe(2);
        await using var query = store.QuerySession();
        var found = await query.Query<CaseloadClient>().Where(inlined).ToListAsync();
        found.Select(c => (c.ProviderId, c.FullName)).ShouldBe(new[] { (owner.ProviderId, name) });
        (await query.Query<CaseloadClient>().Where(captured).ToListAsync()).Select(c => c.Id).ShouldBe(found.Select(c => c.Id));
    }

    /// <summary>Member reads on captured values (a closure's fields), which Marten would compile to evaluate.</summary>
    private sealed class ClosureReads : ExpressionVisitor
    {
        private int _count;

        public int Count(Expression expression)
        {
            Visit(expression);
            return _count;
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression is ConstantExpression) _count++;
            return base.VisitMember(node);
        }
    }
}
