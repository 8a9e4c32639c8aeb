// Prints the root and every proof of @openzeppelin/merkle-tree's StandardMerkleTree over the
// bytes32 record digests given one per line on stdin (leaves not sorted), as JSON. The C# tests
// compare MerkleTree against it: an auditor can rebuild any batch with OpenZeppelin's own library.
'use strict';
const fs = require('fs');
const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');

const digests = fs.readFileSync(0, 'utf8').split('\n').map(l => l.trim()).filter(Boolean);
const tree = StandardMerkleTree.of(digests.map(d => [d]), ['bytes32'], { sortLeaves: false });
process.stdout.write(JSON.stringify({ root: tree.root, proofs: digests.map((_, i) => tree.getProof(i)) }));
