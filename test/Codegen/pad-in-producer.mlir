// convforge-pad-in-producer: a layer computes straight into the interior of
// the next layer's padded input, whose borders alone are filled; the
// network's input, an argument, is copied into the interior of its padded
// buffer (by a linalg.generic, from the early run, that is tiled like any
// elementwise op), whose interior is not filled first.
// RUN: convforge-opt %s --convforge-lower-to-linalg \
// RUN:   --convforge-pad-in-producer="copy-inputs=true" | FileCheck %s --check-prefix=EARLY
// RUN: convforge-opt %s --convforge-lower-to-linalg \
// RUN:   --convforge-codegen="vector-bits=512 vector-registers=32 l2-kib=1024" \
// RUN:   --convforge-pad-in-producer | FileCheck %s
// RUN: convforge-opt %s --convforge-lower-to-linalg \
// RUN:   --convforge-codegen="vector-bits=512 vector-registers=32 l2-kib=1024" \
// RUN:   --convforge-bufferize | FileCheck %s --check-prefix=BUF

// The early run: the argument's pad only. The first conv's output is
// padded later.
// EARLY-LABEL: func.func @two_convs
// EARLY-SAME: (%[[X:[^:]+]]: tensor<1x8x8x16xf32>
// EARLY: %[[E:.+]] = tensor.empty() : tensor<1x10x10x16xf32>
// EARLY-COUNT-4: linalg.fill
// EARLY: %[[INTERIOR:.+]] = tensor.extract_slice %{{.+}}[0, 1, 1, 0] [1, 8, 8, 16]
// EARLY: %[[COPY:.+]] = linalg.generic {{.*}} ins(%[[X]] : tensor<1x8x8x16xf32>) outs(%[[INTERIOR]] : tensor<1x8x8x16xf32>)
// EARLY-NEXT: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
// EARLY-NEXT: linalg.yield %[[IN]]
// EARLY: tensor.insert_slice %[[COPY]] into %{{.+}}[0, 1, 1, 0] [1, 8, 8, 16]
// EARLY: tensor.pad %{{.+}} low[0, 1, 0, 0] high[0, 2, 1, 0]

// The second conv pads [top 1, bottom 2, left 0, right 1] the 8x8 output of
// the first: the 11x9 buffer's top row, bottom two rows and right column
// are filled with zeros before the first layer's tile loops, which write
// the interior at [1, 0].
// The input's 10x10 buffer: four border strips, then the argument copied
// into the interior row by row (the early run's copy, tiled).
// CHECK-LABEL: func.func @two_convs
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x8x8x16xf32>
// CHECK-NOT: tensor.pad
// CHECK: %[[IE:.+]] = tensor.empty() : tensor<1x10x10x16xf32>
// CHECK-COUNT-4: linalg.fill
// CHECK: %[[COPIED:.+]] = scf.for
// CHECK: tensor.extract_slice %[[X]][0, %{{.+}}, 0, 0] [1, 1, 8, 16]
// CHECK: tensor.insert_slice %[[COPIED]] into %{{.+}}[0, 1, 1, 0] [1, 8, 8, 16]
// CHECK-NOT: tensor.pad
// CHECK: %[[E:.+]] = tensor.empty() : tensor<1x11x9x16xf32>
// CHECK: linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x1x9x16xf32>)
// CHECK: %[[T:.+]] = tensor.insert_slice %{{.+}} into %[[E]][0, 0, 0, 0] [1, 1, 9, 16]
// CHECK: linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x2x9x16xf32>)
// CHECK: %[[B:.+]] = tensor.insert_slice %{{.+}} into %[[T]][0, 9, 0, 0] [1, 2, 9, 16]
// CHECK: linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x8x1x16xf32>)
// CHECK: %[[R:.+]] = tensor.insert_slice %{{.+}} into %[[B]][0, 1, 8, 0] [1, 8, 1, 16]
// CHECK: %[[Y:.+]] = scf.for
// CHECK: tensor.insert_slice %[[Y]] into %[[R]][0, 1, 0, 0] [1, 8, 8, 16]
// The only copy left is the input's (row by row), into its padded buffer's
// interior; the first layer writes into a view of the second's padded
// buffer.
// BUF-LABEL: func.func @two_convs
// BUF: %[[IN:.+]] = memref.view %{{.+}} : memref<{{[0-9]+}}xi8> to memref<1x10x10x16xf32>
// BUF-NOT: linalg.map
// BUF: scf.for
// BUF: linalg.copy ins(%{{.+}} : memref<1x1x8x16xf32, {{.+}}>) outs(%{{.+}} : memref<1x1x8x16xf32, {{.+}}>)
// BUF-NOT: linalg.copy
// BUF-NOT: memref.copy
// BUF: %[[PADDED:.+]] = memref.view %{{.+}} : memref<{{[0-9]+}}xi8> to memref<1x11x9x16xf32>
// BUF: %[[INTERIOR:.+]] = memref.subview %[[PADDED]][0, 1, 0, 0] [1, 8, 8, 16]
// BUF-NOT: linalg.copy
// BUF-NOT: memref.copy
// BUF: return
func.func @two_convs(%x: tensor<1x8x8x16xf32>, %w1: tensor<16x3x3x16xf32>, %w2: tensor<16x3x3x16xf32>) -> tensor<1x9x7x16xf32> {
  %0 = cnn.conv2d %x, %w1 padding [1] : (tensor<1x8x8x16xf32>, tensor<16x3x3x16xf32>) -> tensor<1x8x8x16xf32>
  %1 = cnn.relu %0 : (tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %2 = cnn.conv2d %1, %w2 padding [1, 2, 0, 1] : (tensor<1x8x8x16xf32>, tensor<16x3x3x16xf32>) -> tensor<1x9x7x16xf32>
  return %2 : tensor<1x9x7x16xf32>
}
