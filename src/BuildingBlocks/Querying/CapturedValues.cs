using System.Linq.Expressions;
using System.Reflection;

namespace Portal.BuildingBlocks.Querying;

/// <summary>
/// For Marten LINQ queries on hot paths. Marten turns each value a query captures from the caller (a local variable,
/// a property of one) into a parameter by compiling and running a small lambda: a dynamic method per value per query,
/// JIT-compiled, then finalized. <see cref="Inline{T}"/> reads those values with reflection first, so Marten sees
/// constants: the same SQL and parameters, without the compile.
/// </summary>
public static class CapturedValues
{
    public static Expression<Func<T, bool>> Inline<T>(Expression<Func<T, bool>> predicate) =>
        (Expression<Func<T, bool>>)new Inliner().Visit(predicate);

    private sealed class Inliner : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node)
        {
            var target = Visit(node.Expression);
            // A member of a captured value (a closure's field, then a property of it): its value now. Anything that
            // depends on the query's own parameter is left for Marten to translate.
            var instance = target is ConstantExpression constant ? constant.Value : null;
            if (node.Expression is not null && instance is null) return node.Update(target);
            return node.Member switch
            {
                FieldInfo field => Expression.Constant(field.GetValue(instance), node.Type),
                PropertyInfo { CanRead: true } property when property.GetIndexParameters().Length == 0 =>
                    Expression.Constant(property.GetValue(instance), node.Type),
                _ => node.Update(target),
            };
        }
    }
}
