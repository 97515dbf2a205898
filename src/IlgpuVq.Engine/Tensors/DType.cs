namespace IlgpuVq.Engine.Tensors;

/// <summary>Element type of a tensor. Both are 4 bytes wide and share the same device buffers.</summary>
public enum DType { Float32, Int32 }
