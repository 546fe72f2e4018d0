using Microsoft.Playwright;

namespace Portal.Tests.Browser;

/// <summary>Steps on the workflow builder page that several browser tests take the same way.</summary>
internal static class WorkflowBuilderSteps
{
    /// <summary>In a task's open edit form: opens and falls due some days before a date the list offers ("the first session").</summary>
    public static async Task FillDaysBeforeAsync(ILocator task, string date, int opensDaysBefore, int dueDaysBefore)
    {
        await task.GetByLabel("Opens relative to").SelectOptionAsync(new SelectOptionValue { Label = date });
        await task.GetByLabel("Opens: days").FillAsync(opensDaysBefore.ToString());
        await task.GetByLabel("Opens: before or after").SelectOptionAsync("before");
        await task.GetByLabel("Due relative to").SelectOptionAsync(new SelectOptionValue { Label = date });
        await task.GetByLabel("Due in (days, optional)").FillAsync(dueDaysBefore.ToString());
        await task.GetByLabel("Due: before or after").SelectOptionAsync("before");
    }
}
