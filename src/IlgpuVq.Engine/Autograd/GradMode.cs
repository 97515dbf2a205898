namespace IlgpuVq.Engine.Autograd;

/// <summary>
/// Whether ops record onto the tape on this thread. <c>using (GradMode.NoGrad()) { ... }</c> turns recording
/// off for evaluation and sampling (outputs then have no <c>GradFn</c> and do not require grad).
/// </summary>
public static class GradMode
{
    [ThreadStatic] static int disabledDepth;

    public static bool IsEnabled => disabledDepth == 0;

    public static IDisposable NoGrad()
    {
        disabledDepth++;
        return new Restore();
    }

    sealed class Restore : IDisposable
    {
        bool done;
        public void Dispose()
        {
            if (done) return;
            done = true;
            disabledDepth--;
        }
    }
}
