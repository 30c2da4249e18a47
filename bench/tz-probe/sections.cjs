// Sizes of a module: the whole file and its code and data sections, raw and gzip -9.
const fs=require("fs"),z=require("zlib");const gz=b=>z.gzipSync(b,{level:9}).length;
function leb(b,i){let r=0,s=0;for(;;){const x=b[i++];r+=(x&0x7f)*2**s;s+=7;if(x<0x80)return[r,i];}}
for (const p of process.argv.slice(2)) { const b=fs.readFileSync(p); let i=8; const parts={};
while(i<b.length){const id=b[i++];let n;[n,i]=leb(b,i);(parts[id]??=[]).push(b.subarray(i,i+n));i+=n;}
const f=(id)=>{const c=Buffer.concat(parts[id]??[]);return `${(c.length/1024).toFixed(1)} raw/${(gz(c)/1024).toFixed(1)} gz`};
console.log(`${require("path").basename(p)}: total ${(gz(b)/1024).toFixed(1)} KB gz; code ${f(10)}; data ${f(11)} (KB)`); }
